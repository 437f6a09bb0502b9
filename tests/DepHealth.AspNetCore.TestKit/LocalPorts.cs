using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Loopback ports: for servers that must know their port before they start, and for failure tests.</summary>
public static class LocalPorts
{
    /// <summary>A loopback port nothing listens on at the time of the call: bound to port 0, then closed.</summary>
    public static int Unused()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
