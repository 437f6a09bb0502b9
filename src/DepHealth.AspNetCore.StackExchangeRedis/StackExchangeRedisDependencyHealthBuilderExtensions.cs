using DepHealth.AspNetCore;
using DepHealth.AspNetCore.StackExchangeRedis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Redis (type <c>redis</c>) in pool mode for DepHealth.AspNetCore: a check succeeds when <c>PING</c> through the
/// application's <see cref="IConnectionMultiplexer"/> answers. Details: <c>ok timeout connection_refused dns_error
/// auth_error unhealthy error</c> (<c>tls_error</c> when the multiplexer's TLS handshake fails).
/// </summary>
/// <remarks>
/// The standalone check (a fresh connection per check, from a <c>redis://</c> URL) is the core's <c>AddRedis(name, url, …)</c>.
/// </remarks>
public static class StackExchangeRedisDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Adds a Redis dependency checked through the application's multiplexer (pool mode): each check sends <c>PING</c>
    /// to the endpoint's server on the multiplexer's own connection, so no connection is opened per check. The endpoints
    /// are the multiplexer's configured endpoints, one per endpoint (a cluster's or sentinel's configured nodes), read
    /// when the options are built.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="multiplexer">Returns the application's multiplexer, for example <c>sp =&gt; sp.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>; the check never disposes it.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (thresholds, timeout, labels…).</param>
    public static IDependencyHealthBuilder AddRedis(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, IConnectionMultiplexer> multiplexer, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(multiplexer);
        builder.Services.AddOptions<DependencyHealthOptions>().Configure<IServiceProvider>((options, services) =>
        {
            if (!options.Dependencies.TryGetValue(name, out var dependency))
            {
                dependency = new DependencyOptions();
                options.Dependencies[name] = dependency;
            }

            var endpoints = MultiplexerEndpoints.Configured(multiplexer(services), name);
            dependency.Type = DependencyTypes.Redis;
            if (endpoints.Count == 1)
            {
                dependency.Host = endpoints[0].Host;
                dependency.Port = endpoints[0].Port;
            }
            else
            {
                // A URL is the public way to give one dependency several endpoints.
                dependency.Url = MultiplexerEndpoints.Url(endpoints);
            }

            dependency.Critical = critical;
            dependency.CheckerFactory = services => new MultiplexerPingChecker(multiplexer(services));
            configure?.Invoke(dependency);
        });
        return builder;
    }
}
