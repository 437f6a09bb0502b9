using Npgsql;

namespace DepHealth.AspNetCore.Checks.Postgres;

/// <summary>
/// Classifies Npgsql errors the platform classifier cannot see. Socket, DNS, TLS and timeout errors wrapped in an
/// <see cref="NpgsqlException"/> are left to it (it walks inner exceptions).
/// </summary>
internal static class PostgresErrors
{
    // Npgsql has no error code for a full pool, only this message (Npgsql 6 to 10); the server never sends it.
    private const string PoolExhaustedMessage = "The connection pool has been exhausted";

    public static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // invalid_password, invalid_authorization_specification (also "no pg_hba.conf entry").
                case PostgresException { SqlState: "28P01" or "28000" }:
                    return CheckDetails.AuthError;
                case PostgresException:
                    return null;
                case NpgsqlException when e.Message.StartsWith(PoolExhaustedMessage, StringComparison.Ordinal):
                    return CheckDetails.PoolExhausted;
            }
        }

        return null;
    }
}
