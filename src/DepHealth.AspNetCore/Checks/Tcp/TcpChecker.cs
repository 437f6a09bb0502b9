using System.Net.Sockets;

namespace DepHealth.AspNetCore.Checks.Tcp;

/// <summary>TCP: the check succeeds when a connection to the endpoint opens; it is closed at once.</summary>
internal sealed class TcpChecker : IDependencyChecker
{
    public static readonly TcpChecker Instance = new();

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        // A dual-mode socket reaches IPv4 and IPv6 addresses alike; DNS failures surface as SocketException.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return CheckResult.Healthy;
        }
        catch (SocketException e)
        {
            return CheckResult.FromException(e);
        }
    }
}
