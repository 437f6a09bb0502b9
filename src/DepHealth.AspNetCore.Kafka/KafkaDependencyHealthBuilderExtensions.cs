using Confluent.Kafka;
using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Kafka.Checks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Kafka (type <c>kafka</c>) through Confluent.Kafka for DepHealth.AspNetCore. Details: <c>ok timeout
/// connection_refused dns_error auth_error tls_error no_brokers error</c>.
/// </summary>
/// <remarks>
/// Standalone (<see cref="AddKafkaChecks"/>): every check builds its own admin client bootstrapped from the endpoint
/// alone and sends one Metadata request, with TLS (<c>Tls</c>, <c>TlsSkipVerify</c>) and SASL PLAIN, SCRAM-SHA-256 or
/// SCRAM-SHA-512 (<c>SaslMechanism</c>, <c>Username</c>, <c>Password</c> or the URL's user info). Pool mode
/// (<see cref="AddKafka(IDependencyHealthBuilder, string, string, Func{IServiceProvider, IClient}, bool, Action{DependencyOptions})"/>):
/// <c>DescribeCluster</c> through the application's client.
/// </remarks>
public static class KafkaDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Registers this package's <c>kafka</c> checker in place of the core's plaintext one, so that configuration alone
    /// can check TLS and SASL listeners (<c>DependencyHealth:Dependencies:&lt;name&gt;:Url=kafka://b0:9093</c> with
    /// <c>Tls</c>, <c>SaslMechanism</c>, <c>Username</c>, <c>Password</c>). The core's <c>AddKafka(name, url, …)</c> then uses it too.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddKafkaChecks(this IDependencyHealthBuilder builder) =>
        builder.AddCheckerFactory<KafkaClientCheckerFactory>();

    /// <summary>
    /// Adds a Kafka dependency checked through the application's own client (pool mode): each check sends
    /// <c>DescribeCluster</c> on the client's connections, asynchronously, and is healthy when the cluster lists a broker.
    /// An <see cref="IAdminClient"/> is used directly; a producer or consumer through a dependent admin client on its
    /// handle. The client is never disposed by the check.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="bootstrapServers">The client's <c>bootstrap.servers</c>; its first server is the endpoint's host and port (a client does not expose its configuration).</param>
    /// <param name="client">Returns the application's client, for example <c>sp =&gt; sp.GetRequiredService&lt;IProducer&lt;string, string&gt;&gt;()</c>.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (thresholds, timeout, labels…).</param>
    public static IDependencyHealthBuilder AddKafka(
        this IDependencyHealthBuilder builder, string name, string bootstrapServers, Func<IServiceProvider, IClient> client, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(bootstrapServers);
        ArgumentNullException.ThrowIfNull(client);
        var (host, port) = BootstrapServers.First(bootstrapServers, nameof(bootstrapServers));
        return builder.AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Kafka;
            d.Host = host;
            d.Port = port;
            d.Critical = critical;
            d.CheckerFactory = services => new KafkaClusterChecker(client(services), KafkaClientCheckerFactory.Timeouts(services));
            configure?.Invoke(d);
        });
    }
}
