namespace DepHealth.AspNetCore;

/// <summary>The contract's detail and status values, and the mapping from one to the other.</summary>
public static class CheckDetails
{
    /// <summary>The check succeeded.</summary>
    public const string Ok = "ok";
    /// <summary>The check did not finish within its timeout.</summary>
    public const string Timeout = "timeout";
    /// <summary>The connection was refused.</summary>
    public const string ConnectionRefused = "connection_refused";
    /// <summary>The network was unreachable.</summary>
    public const string NetworkUnreachable = "network_unreachable";
    /// <summary>The host was unreachable.</summary>
    public const string HostUnreachable = "host_unreachable";
    /// <summary>The host name did not resolve.</summary>
    public const string DnsError = "dns_error";
    /// <summary>The dependency rejected the credentials.</summary>
    public const string AuthError = "auth_error";
    /// <summary>The TLS handshake failed.</summary>
    public const string TlsError = "tls_error";
    /// <summary>The dependency answered that it is not healthy.</summary>
    public const string Unhealthy = "unhealthy";
    /// <summary>The gRPC health service answered NOT_SERVING.</summary>
    public const string GrpcNotServing = "grpc_not_serving";
    /// <summary>The gRPC health service answered UNKNOWN or does not know the service.</summary>
    public const string GrpcUnknown = "grpc_unknown";
    /// <summary>The Kafka metadata listed no brokers.</summary>
    public const string NoBrokers = "no_brokers";
    /// <summary>The application's connection pool had no free connection.</summary>
    public const string PoolExhausted = "pool_exhausted";
    /// <summary>The check query failed.</summary>
    public const string QueryError = "query_error";
    /// <summary>Any other failure.</summary>
    public const string Error = "error";
    /// <summary>Shown in details before the first check.</summary>
    public const string Unknown = "unknown";

    /// <summary>The eight status categories, in the order they are exported.</summary>
    public static IReadOnlyList<string> Statuses { get; } =
        ["ok", "timeout", "connection_error", "dns_error", "auth_error", "tls_error", "unhealthy", "error"];

    /// <summary>The HTTP detail for a status code, <c>http_NNN</c>.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    public static string Http(int statusCode) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"http_{statusCode}");

    /// <summary>Maps a detail value to its status category per the contract.</summary>
    /// <param name="detail">A detail value.</param>
    public static string StatusOf(string detail) => detail switch
    {
        Ok => "ok",
        Timeout => "timeout",
        ConnectionRefused or NetworkUnreachable or HostUnreachable => "connection_error",
        DnsError => "dns_error",
        AuthError => "auth_error",
        TlsError => "tls_error",
        GrpcNotServing or GrpcUnknown or Unhealthy or NoBrokers => "unhealthy",
        _ when detail.StartsWith("http_", StringComparison.Ordinal) => "unhealthy",
        _ => "error",
    };
}
