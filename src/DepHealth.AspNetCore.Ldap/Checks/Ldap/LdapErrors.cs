using System.DirectoryServices.Protocols;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>
/// Classifies System.DirectoryServices.Protocols errors. Result codes 49 (invalid credentials) and 50 (insufficient
/// access) are <c>auth_error</c>; 51 to 53 (busy, unavailable, unwilling) are <c>unhealthy</c>; 85 is <c>timeout</c>.
/// </summary>
/// <remarks>
/// libldap reports every failure to reach a server as "server down" (81) or "connect error" (91): a refused port,
/// an unknown host and a failed TLS handshake alike. Those are told apart by opening a plain TCP connection to the
/// endpoint: its socket error (refused, DNS, unreachable) is the detail; when it connects, the failure was TLS if
/// TLS was in use, else the server dropped the connection (<c>connection_refused</c>).
/// </remarks>
internal static class LdapErrors
{
    private const int InvalidCredentials = 49;
    private const int InsufficientAccessRights = 50;
    private const int Busy = 51;
    private const int Unavailable = 52;
    private const int UnwillingToPerform = 53;
    private const int ServerDown = 81;
    private const int LocalTimeout = 85;
    private const int ConnectError = 91;

    public static async Task<CheckResult> ClassifyAsync(Exception exception, EndpointSpec endpoint, bool usesTls, CancellationToken cancellationToken)
    {
        var code = exception switch
        {
            LdapException ldap => ldap.ErrorCode,
            DirectoryOperationException { Response: { } response } => (int)response.ResultCode,
            _ => -1,
        };

        var detail = code switch
        {
            InvalidCredentials or InsufficientAccessRights => CheckDetails.AuthError,
            Busy or Unavailable or UnwillingToPerform => CheckDetails.Unhealthy,
            LocalTimeout => CheckDetails.Timeout,
            _ => null,
        };

        if (detail is null && (exception is TlsOperationException || code is ServerDown or ConnectError))
        {
            detail = await DiagnoseConnectionAsync(endpoint, usesTls, cancellationToken);
        }

        return detail is null ? CheckResult.FromException(exception) : CheckResult.Unhealthy(detail, Describe(detail, code), exception);
    }

    private static async Task<string> DiagnoseConnectionAsync(EndpointSpec endpoint, bool usesTls, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        }
        catch (SocketException e)
        {
            var detail = CheckResult.FromException(e).Detail;
            return detail == CheckDetails.Error ? CheckDetails.ConnectionRefused : detail;
        }

        return usesTls ? CheckDetails.TlsError : CheckDetails.ConnectionRefused;
    }

    private static string Describe(string detail, int code) => detail switch
    {
        CheckDetails.AuthError => $"The LDAP server rejected the credentials or denied access (result code {code}).",
        CheckDetails.Unhealthy => $"The LDAP server is not serving requests (result code {code}).",
        CheckDetails.TlsError => "The TLS handshake with the LDAP server failed.",
        CheckDetails.Timeout => "The LDAP operation timed out.",
        _ => $"The LDAP server could not be reached ({detail}).",
    };
}
