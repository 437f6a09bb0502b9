using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>An endpoint's effective check timeout: its own, else the global one; librdkafka's calls need it up front.</summary>
internal static class CheckTimeouts
{
    public static Func<EndpointSpec, TimeSpan> For(IServiceProvider services)
    {
        var options = services.GetService<IOptionsMonitor<DependencyHealthOptions>>();
        return endpoint => endpoint.Timeout ?? options?.CurrentValue.Timeout ?? TimeSpan.FromSeconds(5);
    }
}
