using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.BrowserTests.Infrastructure;

/// <summary>A real TCP dependency on loopback: accepts and closes connections until it is taken down.</summary>
public sealed class TcpDependency : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TcpDependency()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Stops listening: the next connection attempt is refused.</summary>
    public async Task TakeDownAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await TakeDownAsync();
        }

        _stop.Dispose();
    }

    /// <summary>A loopback port with nothing listening (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
