using MySql.Data.MySqlClient;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// Classifies MySql.Data errors by server error number. "Unable to connect" (1042) is left to the platform
/// classifier: MySql.Data keeps the <see cref="System.Net.Sockets.SocketException"/> (refused, DNS) as an inner exception.
/// </summary>
internal static class MySqlErrors
{
    private const int DatabaseAccessDenied = 1044;
    private const int AccessDenied = 1045;
    private const int AccessDeniedNoPassword = 1698;

    public static string? Classify(Exception exception)
    {
        // MySql.Data wraps the server's error in an outer MySqlException with Number 0.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MySqlException { Number: AccessDenied or DatabaseAccessDenied or AccessDeniedNoPassword })
            {
                return CheckDetails.AuthError;
            }
        }

        return null;
    }
}
