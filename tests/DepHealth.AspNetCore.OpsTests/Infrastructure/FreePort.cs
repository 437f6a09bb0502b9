using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>A loopback port free at the time of the call, for servers that must know their port before they start.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
