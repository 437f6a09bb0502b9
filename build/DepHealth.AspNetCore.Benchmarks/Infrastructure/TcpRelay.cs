using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>
/// A TCP relay on loopback in front of a real server: every accepted connection is counted and piped both ways to the
/// server, so an application pointed at <see cref="Port"/> works as usual while its new connections are counted the
/// same way for every kind of server.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _loop;
    private long _accepts;
    private long _open;

    public TcpRelay(string name, IPEndPoint target)
    {
        Name = name;
        _target = target;
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Connections accepted since the relay started.</summary>
    public long Accepts => Interlocked.Read(ref _accepts);

    /// <summary>Connections currently relayed.</summary>
    public long Open => Interlocked.Read(ref _open);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepts);
                lock (_connections)
                {
                    _connections.RemoveAll(t => t.IsCompleted);
                    _connections.Add(RelayAsync(client));
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(Socket client)
    {
        Interlocked.Increment(ref _open);
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var broken = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(_target, broken.Token);
            client.NoDelay = true;
            server.NoDelay = true;
            await Task.WhenAll(PumpAsync(client, server, broken), PumpAsync(server, client, broken));
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Copies one direction; an end of stream is passed on as a half close, an error closes both directions.</summary>
    private static async Task PumpAsync(Socket from, Socket to, CancellationTokenSource broken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, broken.Token)) > 0)
            {
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, broken.Token);
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            await broken.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
