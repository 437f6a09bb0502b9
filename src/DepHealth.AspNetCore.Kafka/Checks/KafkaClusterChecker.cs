using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// Kafka in pool mode: <c>DescribeCluster</c> through the application's client, asynchronous end to end (librdkafka's
/// background thread sends it; no thread waits). An <see cref="IAdminClient"/> is used as it is; any other client
/// (producer, consumer) through a dependent admin client on its handle, which this checker disposes, never the client.
/// </summary>
internal sealed class KafkaClusterChecker : IDependencyChecker, IDisposable
{
    private readonly IAdminClient _admin;
    private readonly bool _ownsAdmin;
    private readonly Func<EndpointSpec, TimeSpan> _timeoutOf;

    public KafkaClusterChecker(IClient client, Func<EndpointSpec, TimeSpan> timeoutOf)
    {
        ArgumentNullException.ThrowIfNull(client);
        _ownsAdmin = client is not IAdminClient;
        _admin = client as IAdminClient ?? new DependentAdminClientBuilder(client.Handle).Build();
        _timeoutOf = timeoutOf;
    }

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        try
        {
            var cluster = await _admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = _timeoutOf(endpoint) })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return cluster.Nodes.Count == 0
                ? CheckResult.Unhealthy(CheckDetails.NoBrokers, "The application's Kafka client sees a cluster with no brokers.")
                : CheckResult.Healthy;
        }
        catch (KafkaException e)
        {
            return CheckResult.Unhealthy(
                KafkaErrors.Classify(e.Error), $"DescribeCluster through the application's Kafka client failed ({e.Error.Code}).", e);
        }
    }

    public void Dispose()
    {
        if (!_ownsAdmin)
        {
            return;
        }

        try
        {
            _admin.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // The application disposed its client first (shutdown order); nothing of ours is left.
        }
    }
}
