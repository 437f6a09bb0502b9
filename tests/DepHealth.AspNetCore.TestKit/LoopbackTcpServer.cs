using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// A TCP server on 127.0.0.1 with a free port that runs <c>handler</c> for every connection, for fake protocol
/// servers. Handler failures are kept and rethrown by <see cref="DisposeAsync"/>, so a fake that sees a wrong
/// request fails the test.
/// </summary>
public sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<NetworkStream, CancellationToken, Task> _handler;
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;

    private LoopbackTcpServer(Func<NetworkStream, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static LoopbackTcpServer Start(Func<NetworkStream, CancellationToken, Task> handler) => new(handler);

    /// <summary>A port on 127.0.0.1 that nothing listens on: bound, then released.</summary>
    public static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                // Stopping cancels first, so whatever the stopped listener throws (cancelled, disposed, not listening) ends the loop.
                return;
            }

            lock (_gate)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            await using var stream = client.GetStream();
            try
            {
                await _handler(stream, _stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && _stopping.IsCancellationRequested)
            {
                // Stopped while the client was still connected.
            }
        }
    }
}
