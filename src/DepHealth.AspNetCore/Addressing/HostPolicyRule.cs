using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Addressing;

/// <summary>One entry of AllowedHosts or DeniedHosts: <c>*</c>, an exact name, a <c>*.</c> wildcard, an IP address or a CIDR block.</summary>
internal sealed record HostPolicyRule(string Text, HostPolicyRule.RuleKind Kind, string? Name = null, IPAddress? Network = null, int PrefixLength = 0)
{
    public enum RuleKind
    {
        Any,
        Network,
        Name,
        Suffix,
    }

    public static bool TryParse(string text, out HostPolicyRule rule)
    {
        rule = new HostPolicyRule(text, RuleKind.Any);
        if (text == "*")
        {
            return true;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash > 0 ? text[..slash] : text;
        var parsed = HostPolicyHost.Parse(addressText);
        if (parsed.Name is null)
        {
            var address = parsed.Addresses[0];
            var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var length = max;
            if (slash > 0 && !(int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) && length <= max))
            {
                return false;
            }

            var (network, prefixLength) = HostPolicyHost.Canonical(address, length);
            rule = new HostPolicyRule(text, RuleKind.Network, Network: network, PrefixLength: prefixLength);
            return true;
        }

        var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        var name = (wildcard ? text[2..] : text).TrimEnd('.');
        if (slash >= 0 || name.Contains('*', StringComparison.Ordinal) || !Addressing.EndpointAddressParser.IsValidHost(name, out _))
        {
            return false;
        }

        name = name.ToLowerInvariant();
        rule = wildcard ? new HostPolicyRule(text, RuleKind.Suffix, Name: "." + name) : new HostPolicyRule(text, RuleKind.Name, Name: name);
        return true;
    }

    /// <summary>Name rules match the host's name; address rules match any address the host stands for.</summary>
    public bool Matches(HostPolicyHost host) => Kind switch
    {
        RuleKind.Any => true,
        RuleKind.Network => host.Addresses.Any(InNetwork),
        RuleKind.Suffix => host.Name is { } name && name.Length > Name!.Length && name.EndsWith(Name, StringComparison.Ordinal),
        _ => host.Name == Name,
    };

    private bool InNetwork(IPAddress address)
    {
        if (address.AddressFamily != Network!.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        var fullBytes = PrefixLength / 8;
        if (!a.AsSpan(0, fullBytes).SequenceEqual(n.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remaining = PrefixLength % 8;
        var mask = (byte)(0xFF << (8 - remaining));
        return remaining == 0 || (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
