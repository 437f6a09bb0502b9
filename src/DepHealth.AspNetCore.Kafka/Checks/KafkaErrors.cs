using Confluent.Kafka;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>Classifies librdkafka's errors into the contract's kafka details.</summary>
internal static class KafkaErrors
{
    public static string Classify(Error error) => error.Code switch
    {
        // librdkafka reports a TLS handshake the peer broke off (a plaintext listener) as a transport failure.
        ErrorCode.Local_Transport when IsDuringTlsHandshake(error.Reason) => CheckDetails.TlsError,
        _ => Classify(error.Code),
    };

    public static string Classify(ErrorCode code) => code switch
    {
        ErrorCode.Local_Resolve => CheckDetails.DnsError,
        ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.BrokerNotAvailable => CheckDetails.ConnectionRefused,
        ErrorCode.Local_Ssl => CheckDetails.TlsError,
        ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.UnsupportedSaslMechanism
            or ErrorCode.IllegalSaslState or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed
            => CheckDetails.AuthError,
        ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut => CheckDetails.Timeout,

        // librdkafka's answer to a Metadata response listing neither brokers nor topics ("should retry").
        ErrorCode.Local_Partial => CheckDetails.NoBrokers,
        _ => CheckDetails.Error,
    };

    // Depending on when the peer's close is seen, librdkafka says "SSL handshake failed: ..." or only "... in state SSL_HANDSHAKE".
    private static bool IsDuringTlsHandshake(string reason) =>
        reason.Contains("SSL handshake failed", StringComparison.OrdinalIgnoreCase)
        || reason.Contains("in state SSL_HANDSHAKE", StringComparison.Ordinal);

    /// <summary>
    /// Whether a client error ends the check at once: name resolution, TLS and SASL failures are final; a refused
    /// connection only after <paramref name="transportFailures"/> reaches <paramref name="addresses"/>, since librdkafka
    /// moves to the host's next address on each attempt (localhost is ::1, then 127.0.0.1).
    /// </summary>
    public static bool IsFinal(Error error, int transportFailures, int addresses) => Classify(error) switch
    {
        CheckDetails.DnsError or CheckDetails.TlsError or CheckDetails.AuthError => true,
        CheckDetails.ConnectionRefused => error.Code == ErrorCode.Local_Transport && transportFailures >= addresses,
        _ => false,
    };
}
