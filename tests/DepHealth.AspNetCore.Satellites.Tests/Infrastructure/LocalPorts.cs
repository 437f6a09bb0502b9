using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>Loopback ports for failure tests.</summary>
internal static class LocalPorts
{
    /// <summary>A loopback port nothing listens on: bound to port 0, then closed.</summary>
    public static int Unused()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
