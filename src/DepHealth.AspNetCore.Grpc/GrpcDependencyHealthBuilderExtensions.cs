using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Grpc;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// gRPC (type <c>grpc</c>) in pool mode for DepHealth.AspNetCore: a check succeeds when <c>grpc.health.v1.Health/Check</c>
/// through the application's own channel answers SERVING. Details: <c>ok timeout connection_refused dns_error auth_error
/// tls_error grpc_not_serving grpc_unknown error</c>.
/// </summary>
/// <remarks>
/// The standalone check (a fresh HTTP/2 connection per check, from a <c>grpc://</c> URL) is the core's
/// <c>AddGrpc(name, url, …)</c>. In pool mode the channel's TLS, credentials and interceptors apply as the application
/// configured them; of the dependency's checker options only <c>ServiceName</c> is used ("" asks about the server).
/// </remarks>
public static class GrpcDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Adds a gRPC dependency checked through the application's <see cref="GrpcChannel"/> (pool mode). Host and port are
    /// the channel's target (<c>GrpcChannel.Target</c>, read when the options are built); a target without a port (a
    /// default port) is labelled 443, and a <c>dns:///</c> target has none: set <c>Host</c> and <c>Port</c> in
    /// <paramref name="configure"/> then.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="channel">Returns the application's channel, for example <c>sp =&gt; sp.GetRequiredService&lt;GrpcChannel&gt;()</c>; the check never disposes it.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (ServiceName, thresholds, timeout, labels…).</param>
    public static IDependencyHealthBuilder AddGrpc(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, GrpcChannel> channel, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Add(builder, name, critical, configure,
            services => ChannelTarget.FromAuthority(channel(services).Target),
            services => new HealthClientChecker(() => new Health.HealthClient(channel(services))));
    }

    /// <summary>
    /// Adds a gRPC dependency checked through a <see cref="Health.HealthClient"/> of the gRPC client factory (pool mode),
    /// registered with <c>services.AddGrpcClient&lt;Health.HealthClient&gt;(o =&gt; o.Address = …)</c>: its channel,
    /// handler, interceptors and call credentials apply. Host and port are the client's <c>Address</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (ServiceName, thresholds, timeout, labels…).</param>
    /// <param name="clientName">The client's name in the factory; by default the factory's name for an unnamed <c>AddGrpcClient&lt;Health.HealthClient&gt;</c>, <c>HealthClient</c>.</param>
    public static IDependencyHealthBuilder AddGrpcHealthClient(
        this IDependencyHealthBuilder builder, string name, bool critical, Action<DependencyOptions>? configure = null, string? clientName = null)
    {
        var client = clientName ?? nameof(Health.HealthClient);
        return Add(builder, name, critical, configure,
            services => services.GetRequiredService<IOptionsMonitor<GrpcClientFactoryOptions>>().Get(client).Address is { } address
                ? ChannelTarget.FromAddress(address)
                : throw new InvalidOperationException($"Dependency '{name}': the gRPC client '{client}' has no Address; register it with services.AddGrpcClient<Health.HealthClient>(...)."),
            services => new HealthClientChecker(() => services.GetRequiredService<GrpcClientFactory>().CreateClient<Health.HealthClient>(client)));
    }

    private static IDependencyHealthBuilder Add(
        IDependencyHealthBuilder builder, string name, bool critical, Action<DependencyOptions>? configure,
        Func<IServiceProvider, (string? Host, int? Port)> locate, Func<IServiceProvider, IDependencyChecker> checker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddOptions<DependencyHealthOptions>().Configure<IServiceProvider>((options, services) =>
        {
            if (!options.Dependencies.TryGetValue(name, out var dependency))
            {
                dependency = new DependencyOptions();
                options.Dependencies[name] = dependency;
            }

            (dependency.Host, dependency.Port) = locate(services);
            dependency.Type = DependencyTypes.Grpc;
            dependency.Critical = critical;
            dependency.CheckerFactory = checker;
            configure?.Invoke(dependency);
        });
        return builder;
    }
}
