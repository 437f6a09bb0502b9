using System.Net.Sockets;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>One plain TCP connect to an endpoint, to name the socket error a provider did not keep.</summary>
internal static class SocketProbe
{
    /// <summary>The detail of a failed connect (<c>connection_refused</c>, <c>dns_error</c>...), or null when it connects or fails otherwise.</summary>
    public static async Task<string?> FailureAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            var detail = CheckResult.FromException(e).Detail;
            return detail == CheckDetails.Error ? null : detail;
        }
    }
}
