using System.Net.Sockets;
using System.Net;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>
/// The connect step of HTTP and gRPC checks of runtime endpoints: resolves the host and connects only to addresses the
/// host policy does not deny, so a name that resolves (or is rebound) to a denied address is never connected to.
/// </summary>
internal sealed class HostPolicyConnector(HostPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken);
        var allowed = new List<IPAddress>(addresses.Length);
        string? refused = null;
        foreach (var address in addresses)
        {
            if (policy.CheckConnected(address) is { } reason)
            {
                refused ??= reason;
            }
            else
            {
                allowed.Add(address);
            }
        }

        if (allowed.Count == 0)
        {
            // Nothing was sent: the detail is the generic error (the contract has no detail for a refused address).
            throw refused is null
                ? new SocketException((int)SocketError.HostNotFound)
                : new DependencyCheckException(CheckDetails.Error, $"'{host}' was not connected to: {refused}.");
        }

        // A dual-mode socket reaches IPv4 and IPv6 addresses alike, as the handler's own connect does.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
