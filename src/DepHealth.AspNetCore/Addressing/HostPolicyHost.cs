using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Addressing;

/// <summary>
/// A host as the host policy sees it: its name (lower case, without trailing dots; null for an IP literal) and every
/// address it stands for. IP literals are read in every form the resolver accepts (<c>127.1</c>, <c>0x7f.1</c>,
/// <c>2130706433</c>, <c>0177.0.0.1</c>, brackets, zone ids) and aliases are expanded.
/// </summary>
internal sealed record HostPolicyHost(string? Name, IReadOnlyList<IPAddress> Addresses)
{
    private static readonly IPAddress[] Loopback = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    public static HostPolicyHost Parse(string host)
    {
        var text = host.Trim();
        if (text.Length > 1 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        // "localhost." and "127.0.0.1." are the same hosts as without the root's dot.
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            text = text.TrimEnd('.');
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return new HostPolicyHost(null, Forms(address));
        }

        var name = text.ToLowerInvariant();

        // RFC 6761: localhost and its subdomains are the local machine, whatever DNS says (.NET resolves them so).
        var local = name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal);
        return new HostPolicyHost(name, local ? Loopback : []);
    }

    /// <summary>
    /// The address without its zone id, the IPv4 address an IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96)
    /// address carries, and for the unspecified addresses (0.0.0.0, ::), which connect to the local machine, loopback.
    /// </summary>
    public static IReadOnlyList<IPAddress> Forms(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var forms = new List<IPAddress>(4) { new(bytes) };
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(bytes) is { } ipv4)
        {
            forms.Add(ipv4);
        }

        if (forms.Exists(f => f.Equals(IPAddress.Any) || f.Equals(IPAddress.IPv6Any)))
        {
            forms.AddRange(Loopback);
        }

        return forms;
    }

    /// <summary>An IPv4-mapped rule (<c>::ffff:10.0.0.0/104</c>) is the IPv4 rule it stands for (<c>10.0.0.0/8</c>).</summary>
    public static (IPAddress Network, int PrefixLength) Canonical(IPAddress network, int prefixLength)
    {
        var plain = new IPAddress(network.GetAddressBytes());
        return plain.IsIPv4MappedToIPv6 && prefixLength >= 96 ? (plain.MapToIPv4(), prefixLength - 96) : (plain, prefixLength);
    }

    private static IPAddress? EmbeddedIPv4(byte[] bytes)
    {
        var prefix = bytes.AsSpan(0, 12);
        var last = bytes.AsSpan(12);
        var mapped = prefix[..10].IndexOfAnyExcept((byte)0) < 0 && prefix[10] == 0xFF && prefix[11] == 0xFF;

        // ::a.b.c.d, except :: and ::1, which are IPv6 addresses of their own.
        var compatible = prefix.IndexOfAnyExcept((byte)0) < 0 && BinaryPrimitives.ReadUInt32BigEndian(last) > 1;
        var nat64 = prefix[..4].SequenceEqual(Nat64Prefix) && prefix[4..].IndexOfAnyExcept((byte)0) < 0;
        return mapped || compatible || nat64 ? new IPAddress(last) : null;
    }

    // 64:ff9b::/96, the NAT64 well-known prefix (RFC 6052).
    private static ReadOnlySpan<byte> Nat64Prefix => [0x00, 0x64, 0xFF, 0x9B];
}
