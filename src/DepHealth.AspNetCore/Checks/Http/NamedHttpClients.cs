using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>
/// Which named clients the application registered with <see cref="IHttpClientFactory"/>. The factory hands out a default
/// client for any name, so a misspelt name would silently check without the application's handlers; a name counts as
/// registered when something configures it (<c>AddHttpClient(name, …)</c>, a handler, a resilience pipeline) or it is a
/// keyed <see cref="HttpClient"/> service.
/// </summary>
internal static class NamedHttpClients
{
    /// <summary>Null when <paramref name="name"/> is a registered client, else why not.</summary>
    public static string? Problem(IServiceProvider? services, string name)
    {
        if (services?.GetService<IHttpClientFactory>() is null)
        {
            return $"names the HttpClient '{name}', but no IHttpClientFactory is registered: call services.AddHttpClient(\"{name}\", …)";
        }

        foreach (var configure in services.GetServices<IConfigureOptions<HttpClientFactoryOptions>>())
        {
            if (configure is ConfigureNamedOptions<HttpClientFactoryOptions> named && string.Equals(named.Name, name, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(HttpClient), name) == true
            ? null
            : $"no HttpClient named '{name}' is configured: register it with services.AddHttpClient(\"{name}\", …) (the name is case-sensitive)";
    }
}
