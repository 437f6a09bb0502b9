using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// Kafka standalone: a fresh admin client per check, bootstrapped from the endpoint alone, requests metadata. The
/// endpoint's broker must accept the connection, the TLS and SASL handshakes and answer librdkafka's first Metadata
/// request; the check's own request may then go to a broker that answer lists. Healthy when the metadata lists a broker.
/// </summary>
internal sealed class KafkaMetadataChecker(KafkaClientSettings settings, Func<EndpointSpec, TimeSpan> timeoutOf) : IDependencyChecker
{
    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        int addresses;
        try
        {
            addresses = IPAddress.TryParse(endpoint.Host, out _)
                ? 1
                : Math.Max(1, (await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false)).Length);
        }
        catch (SocketException e)
        {
            return CheckResult.FromException(e);
        }

        var timeout = timeoutOf(endpoint);
        var probe = MetadataProbe.Start(settings.ClientConfig(endpoint, timeout), timeout, addresses);
        var first = await Task.WhenAny(probe.Metadata, probe.Failed).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == probe.Failed)
        {
            var error = await probe.Failed.ConfigureAwait(false);
            return Failure(endpoint, error, new KafkaException(error));
        }

        var (metadata, exception) = await probe.Metadata.ConfigureAwait(false);
        return (metadata, exception) switch
        {
            ({ Brokers.Count: > 0 }, _) => CheckResult.Healthy,
            ({ }, _) => CheckResult.Unhealthy(CheckDetails.NoBrokers, $"The Kafka metadata from {endpoint.Key} lists no brokers."),
            (_, KafkaException e) => Failure(endpoint, e, probe.LastCause),
            _ => CheckResult.FromException(exception!),
        };
    }

    private static CheckResult Failure(EndpointSpec endpoint, KafkaException e, Error? lastCause)
    {
        // The request's own error is generic ("broker transport failure"); the client's last report names the cause.
        // With none, the deadline passed while the connection was still being set up (a broker that never answers).
        var cause = e.Error.Code is ErrorCode.Local_TimedOut or ErrorCode.Local_Partial ? e.Error : lastCause;
        return cause is null
            ? CheckResult.Unhealthy(CheckDetails.Timeout, $"{endpoint.Key} did not answer the Kafka handshake in time.", e)
            : Failure(endpoint, cause, e);
    }

    private static CheckResult Failure(EndpointSpec endpoint, Error error, Exception exception) =>
        CheckResult.Unhealthy(KafkaErrors.Classify(error), $"Kafka metadata request to {endpoint.Key} failed ({error.Code}: {error.Reason}).", exception);
}
