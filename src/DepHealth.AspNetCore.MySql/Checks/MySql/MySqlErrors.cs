using MySqlConnector;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// Classifies MySqlConnector errors by <see cref="MySqlException.ErrorCode"/>. MySqlConnector reports every client-side
/// connect failure as <see cref="MySqlErrorCode.UnableToConnectToHost"/> (1042), told apart only by its message;
/// a TLS handshake failure keeps its <see cref="System.Security.Authentication.AuthenticationException"/> inside and
/// is left to the core's classifier. <see cref="MySqlException.IsTransient"/> is no category (it is true of refused
/// connections, timeouts and deadlocks alike), so it is not used.
/// </summary>
internal static class MySqlErrors
{
    // ER_ACCESS_DENIED_NO_PASSWORD_ERROR, which MySqlErrorCode does not name.
    private const int AccessDeniedNoPassword = 1698;

    // MySqlConnector's messages for its 1042 errors (MySqlConnector 2.x and 3.x).
    private const string ConnectTimeoutExpired = "Connect Timeout expired.";
    private const string PoolFull = "All pooled connections are in use.";
    private const string ServerWithoutTls = "Server does not support SSL";
    private const string NoHostReached = "Unable to connect to any of the specified MySQL hosts.";

    public static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not MySqlException error)
            {
                continue;
            }

            if (error.ErrorCode is MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied || error.Number == AccessDeniedNoPassword)
            {
                return CheckDetails.AuthError;
            }

            if (error.ErrorCode == MySqlErrorCode.CommandTimeoutExpired)
            {
                return CheckDetails.Timeout;
            }

            if (error.ErrorCode == MySqlErrorCode.UnableToConnectToHost)
            {
                // The pool's wait for a free connection ended at the data source's Connection Timeout.
                if (error.Message.StartsWith(ConnectTimeoutExpired, StringComparison.Ordinal))
                {
                    return error.Message.EndsWith(PoolFull, StringComparison.Ordinal) ? CheckDetails.PoolExhausted : CheckDetails.Timeout;
                }

                // SslMode Required or stricter against a server that offers no TLS.
                if (error.Message == ServerWithoutTls)
                {
                    return CheckDetails.TlsError;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when no TCP connection was made (DNS failure, refused, unreachable): MySqlConnector then drops the
    /// <see cref="System.Net.Sockets.SocketException"/> that says which.
    /// </summary>
    public static bool HidesSocketError(Exception exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost, InnerException: null } error
        && error.Message == NoHostReached;
}
