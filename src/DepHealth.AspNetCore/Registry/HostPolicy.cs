using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Allow and deny rules for the hosts of runtime endpoints: exact names, <c>*.</c> wildcards, IP addresses and CIDR
/// blocks. Names match name rules only and IP literals match IP rules only; nothing is resolved.
/// </summary>
internal sealed class HostPolicy
{
    private readonly Rule[] _allowed;
    private readonly Rule[] _denied;

    private HostPolicy(Rule[] allowed, Rule[] denied)
    {
        _allowed = allowed;
        _denied = denied;
    }

    public static HostPolicy Create(DependencyRegistryOptions options, List<EndpointValidationError>? errors = null)
    {
        var allowed = Parse(options.AllowedHosts, "DependencyHealth:Registry:AllowedHosts", errors);
        var denied = Parse(options.DeniedHosts, "DependencyHealth:Registry:DeniedHosts", errors);
        return new HostPolicy(allowed, denied);
    }

    /// <summary>Null when the host is allowed, else the rule it breaks.</summary>
    public string? Check(string host)
    {
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        foreach (var rule in _denied)
        {
            if (rule.Matches(host, address))
            {
                return $"'{host}' is denied by DependencyHealth:Registry:DeniedHosts ('{rule.Text}')";
            }
        }

        if (_allowed.Length == 0)
        {
            return null;
        }

        foreach (var rule in _allowed)
        {
            if (rule.Matches(host, address))
            {
                return null;
            }
        }

        return $"'{host}' does not match DependencyHealth:Registry:AllowedHosts";
    }

    private static Rule[] Parse(IList<string> patterns, string key, List<EndpointValidationError>? errors)
    {
        var rules = new List<Rule>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            var text = patterns[i]?.Trim() ?? string.Empty;
            if (Rule.TryParse(text, out var rule))
            {
                rules.Add(rule);
            }
            else
            {
                errors?.Add(new($"{key}:{i}", $"'{text}' must be a host name, a '*.' wildcard, '*', an IP address or a CIDR block such as 10.0.0.0/8"));
            }
        }

        return [.. rules];
    }

    private enum RuleKind
    {
        Any,
        Network,
        Name,
        Suffix,
    }

    private sealed record Rule(string Text, RuleKind Kind, string? Name = null, IPAddress? Network = null, int PrefixLength = 0)
    {
        public static bool TryParse(string text, out Rule rule)
        {
            rule = new Rule(text, RuleKind.Any);
            if (text == "*")
            {
                return true;
            }

            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var addressText = slash > 0 ? text[..slash] : text;
            if (IPAddress.TryParse(addressText, out var network))
            {
                var max = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                var length = max;
                if (slash > 0 && !(int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out length) && length <= max))
                {
                    return false;
                }

                rule = new Rule(text, RuleKind.Network, Network: network, PrefixLength: length);
                return true;
            }

            var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
            var name = wildcard ? text[2..] : text;
            if (slash >= 0 || name.Contains('*', StringComparison.Ordinal) || !Configuration.EndpointAddressParser.IsValidHost(name, out _))
            {
                return false;
            }

            rule = wildcard ? new Rule(text, RuleKind.Suffix, Name: "." + name) : new Rule(text, RuleKind.Name, Name: name);
            return true;
        }

        public bool Matches(string host, IPAddress? address) => Kind switch
        {
            RuleKind.Any => true,
            RuleKind.Network => address is not null && InNetwork(address, Network!, PrefixLength),
            RuleKind.Suffix => address is null && host.Length > Name!.Length && host.EndsWith(Name, StringComparison.OrdinalIgnoreCase),
            _ => address is null && string.Equals(host, Name, StringComparison.OrdinalIgnoreCase),
        };

        private static bool InNetwork(IPAddress address, IPAddress network, int prefixLength)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (address.AddressFamily != network.AddressFamily)
            {
                return false;
            }

            var a = address.GetAddressBytes();
            var n = network.GetAddressBytes();
            var fullBytes = prefixLength / 8;
            if (!a.AsSpan(0, fullBytes).SequenceEqual(n.AsSpan(0, fullBytes)))
            {
                return false;
            }

            var remaining = prefixLength % 8;
            var mask = (byte)(0xFF << (8 - remaining));
            return remaining == 0 || (a[fullBytes] & mask) == (n[fullBytes] & mask);
        }
    }
}
