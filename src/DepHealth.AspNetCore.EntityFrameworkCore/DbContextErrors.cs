using System.Data.Common;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>
/// Classifies provider errors the core's classifier cannot see: SQLSTATE class 28 (invalid authorization, PostgreSQL
/// 28P01 and 28000, MySQL 28000) and the drivers' pool and connect timeouts, which carry no code but their message.
/// Socket, DNS, TLS and timeout exceptions inside a provider error are left to the core's classifier.
/// </summary>
internal static class DbContextErrors
{
    // Npgsql 6 to 10 and MySqlConnector 2 and 3: the only sign of a full pool or an expired connect is the message.
    private const string NpgsqlPoolExhausted = "The connection pool has been exhausted";
    private const string MySqlConnectorPoolFull = "All pooled connections are in use.";
    private const string MySqlConnectorConnectTimeout = "Connect Timeout expired.";

    /// <summary>The detail, or null to leave the exception to the core's classifier.</summary>
    public static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not DbException error)
            {
                continue;
            }

            if (error.SqlState is { Length: 5 } state && state.StartsWith("28", StringComparison.Ordinal))
            {
                return CheckDetails.AuthError;
            }

            if (error.Message.StartsWith(NpgsqlPoolExhausted, StringComparison.Ordinal)
                || error.Message.EndsWith(MySqlConnectorPoolFull, StringComparison.Ordinal))
            {
                return CheckDetails.PoolExhausted;
            }

            if (error.Message.StartsWith(MySqlConnectorConnectTimeout, StringComparison.Ordinal))
            {
                return CheckDetails.Timeout;
            }
        }

        return null;
    }

    /// <summary>
    /// True for a provider error that hides why no connection was made: no SQLSTATE and nothing inside (MySqlConnector
    /// drops the <see cref="SocketException"/> of a refused or unresolvable host), also inside the
    /// <see cref="InvalidOperationException"/> of an execution strategy that saw a transient failure (Pomelo's default).
    /// </summary>
    public static bool HidesSocketError(Exception exception) =>
        (exception is InvalidOperationException { InnerException: DbException inner } ? inner : exception)
            is DbException { SqlState: null, InnerException: null };

    /// <summary>A message for a classified failure; never the driver's text, which can echo connection details.</summary>
    public static string Describe(string detail) => detail switch
    {
        CheckDetails.AuthError => "The database rejected the credentials or denied access.",
        CheckDetails.PoolExhausted => "The application's connection pool has no free connection.",
        CheckDetails.ConnectionRefused => "The database refused the connection.",
        CheckDetails.DnsError => "The database host name could not be resolved.",
        CheckDetails.Timeout => "The database did not answer in time.",
        _ => $"The database check failed ({detail}).",
    };
}
