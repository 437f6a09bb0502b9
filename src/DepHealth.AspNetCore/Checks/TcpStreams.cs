using System.Net.Sockets;

namespace DepHealth.AspNetCore.Checks;

/// <summary>Opens the TCP connection of a protocol check.</summary>
internal static class TcpStreams
{
    /// <summary>
    /// Connects to <paramref name="host"/>; refused connections and DNS failures surface as <see cref="SocketException"/>,
    /// which <see cref="ErrorClassifier"/> maps by error code.
    /// </summary>
    public static async ValueTask<NetworkStream> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        // A dual-mode socket reaches IPv4 and IPv6 addresses alike.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
