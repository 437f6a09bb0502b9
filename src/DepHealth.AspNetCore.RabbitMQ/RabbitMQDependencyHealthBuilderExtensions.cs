using DepHealth.AspNetCore.Checks.Amqp;
using DepHealth.AspNetCore;
using RabbitMQ.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// RabbitMQ (type <c>amqp</c>) for DepHealth.AspNetCore: a check succeeds when a connection opens and a channel opens
/// on it. Details: <c>ok timeout connection_refused dns_error auth_error tls_error unhealthy error</c>.
/// </summary>
/// <remarks>
/// <c>ACCESS_REFUSED</c> (403, a rejected login) and <c>NOT_ALLOWED</c> (530, an unknown vhost or no permission on
/// it; the broker uses one code for both) are <c>auth_error</c>; <c>CONNECTION_FORCED</c> (320) and
/// <c>INTERNAL_ERROR</c> (541) are <c>unhealthy</c>; refused connections, DNS and TLS failures are classified from
/// the socket and TLS errors inside the client's exceptions.
/// </remarks>
public static class RabbitMQDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Registers the <c>amqp</c> checker so that configuration alone can monitor RabbitMQ
    /// (<c>DependencyHealth:Dependencies:&lt;name&gt;:Url=amqp://user:pass@host:5672/vhost</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddRabbitMQChecks(this IDependencyHealthBuilder builder) =>
        builder.AddCheckerFactory<AmqpCheckerFactory>();

    /// <summary>
    /// Adds a standalone RabbitMQ dependency from a URL, <c>amqp://user:password@host:5672/vhost</c> or <c>amqps://</c>
    /// (TLS, default port 5671). The vhost is the percent-decoded path: <c>/%2F</c> and no path both mean <c>/</c>.
    /// Every check opens its own connection and a channel, then closes them.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL; its credentials are used and never shown.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (TLS verification, thresholds, labels…).</param>
    public static IDependencyHealthBuilder AddRabbitMQ(
        this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddRabbitMQChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Amqp;
            d.Url = url;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>
    /// Adds a RabbitMQ dependency checked on the application's own connection (pool mode): each check opens a channel
    /// on it and closes the channel; the connection is never closed by the check. Host and port are read from the
    /// connection's endpoint when the options are built, so the connection is resolved then.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="connection">Returns the application's connection, for example <c>sp =&gt; sp.GetRequiredService&lt;IConnection&gt;()</c>.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddRabbitMQ(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, IConnection> connection, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return builder.AddPooledChecker(
            name,
            DependencyTypes.Amqp,
            critical,
            services =>
            {
                var endpoint = connection(services).Endpoint;
                return (endpoint.HostName, endpoint.Port);
            },
            services => new AmqpConnectionChecker(connection(services)),
            configure);
    }
}
