using System.Collections.Frozen;

namespace DepHealth.AspNetCore.Checks.HealthChecks;

/// <summary>
/// The detail values the contract lists for each type, so that a check written for another purpose never exports a
/// detail its type does not have. Every type also has the two other <c>connection_error</c> details the platform
/// classifier reports (<c>network_unreachable</c>, <c>host_unreachable</c>); SQL types have the package's own
/// <c>pool_exhausted</c> and <c>query_error</c>.
/// </summary>
internal static class TypeDetails
{
    private static readonly string[] Common =
    [
        CheckDetails.Ok, CheckDetails.Timeout, CheckDetails.ConnectionRefused, CheckDetails.NetworkUnreachable,
        CheckDetails.HostUnreachable, CheckDetails.DnsError, CheckDetails.Error,
    ];

    private static readonly FrozenDictionary<string, FrozenSet<string>> ByType = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        [DependencyTypes.Http] = Set(CheckDetails.AuthError, CheckDetails.TlsError),
        [DependencyTypes.Grpc] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.GrpcNotServing, CheckDetails.GrpcUnknown),
        [DependencyTypes.Tcp] = Set(),
        [DependencyTypes.Postgres] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.PoolExhausted, CheckDetails.QueryError),
        [DependencyTypes.MySql] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.PoolExhausted, CheckDetails.QueryError),
        [DependencyTypes.Redis] = Set(CheckDetails.AuthError, CheckDetails.Unhealthy),
        [DependencyTypes.Amqp] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.Unhealthy),
        [DependencyTypes.Ldap] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.Unhealthy),
        [DependencyTypes.Kafka] = Set(CheckDetails.AuthError, CheckDetails.TlsError, CheckDetails.NoBrokers),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="detail"/> is one of <paramref name="type"/>'s details (<c>http_NNN</c> for HTTP).</summary>
    public static bool Allows(string type, string detail) =>
        ByType.TryGetValue(type, out var details)
        && (details.Contains(detail) || (type == DependencyTypes.Http && IsHttpStatus(detail)));

    private static bool IsHttpStatus(string detail) =>
        detail.Length == 8 && detail.StartsWith("http_", StringComparison.Ordinal) && !detail.AsSpan(5).ContainsAnyExceptInRange('0', '9');

    private static FrozenSet<string> Set(params string[] specific) => Common.Concat(specific).ToFrozenSet(StringComparer.Ordinal);
}
