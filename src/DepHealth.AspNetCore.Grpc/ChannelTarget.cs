using System.Globalization;

namespace DepHealth.AspNetCore.Grpc;

/// <summary>The host and port labels of a gRPC channel's target, read when the options are built.</summary>
internal static class ChannelTarget
{
    /// <summary>
    /// From <c>GrpcChannel.Target</c>, the address's authority (<c>host[:port]</c>): a default port is left out of it,
    /// and then it is the contract's gRPC default, 443. An empty target (a <c>dns:///</c> address) gives no host: the
    /// dependency's Host and Port must then be set in <c>configure</c>.
    /// </summary>
    public static (string? Host, int? Port) FromAuthority(string target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return (null, null);
        }

        string host;
        string? port = null;
        if (target.StartsWith('['))
        {
            var close = target.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? target : target[1..close];
            port = close >= 0 && target.Length > close + 1 && target[close + 1] == ':' ? target[(close + 2)..] : null;
        }
        else
        {
            var colon = target.LastIndexOf(':');
            host = colon < 0 || target.IndexOf(':', StringComparison.Ordinal) != colon ? target : target[..colon];
            port = host.Length == target.Length ? null : target[(colon + 1)..];
        }

        return (host, port is not null && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : DefaultPort);
    }

    /// <summary>From a client factory address: the URI's host and port (80 or 443 by scheme when none is given).</summary>
    public static (string? Host, int? Port) FromAddress(Uri address) =>
        address.Scheme is "http" or "https"
            ? (address.Host.Trim('[', ']'), address.Port)

            // A resolver address (dns:///host:port, static:///...) names its target in the path.
            : FromAuthority(address.AbsolutePath.TrimStart('/'));

    private static int DefaultPort => DependencyTypes.DefaultPort(DependencyTypes.Grpc) ?? 443;
}
