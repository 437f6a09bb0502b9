using System.Net;

namespace DepHealth.AspNetCore.Addressing;

/// <summary>
/// Allow and deny rules for the hosts runtime endpoints may reach: their host, the options that name a host, every
/// redirect hop and every address an HTTP or gRPC check connects to. Names match name rules and addresses match IP
/// and CIDR rules, after normalisation (<see cref="HostPolicyHost"/>); a host name is not resolved to be checked.
/// </summary>
internal sealed class HostPolicy
{
    public const string AllowedKey = "DependencyHealth:Registry:AllowedHosts";
    public const string DeniedKey = "DependencyHealth:Registry:DeniedHosts";

    // Options whose value names the host a request claims to be for.
    private static readonly string[] HostOptions = [CheckerOptionKeys.HostHeader, CheckerOptionKeys.GrpcAuthority];

    private readonly HostPolicyRule[] _allowed;
    private readonly HostPolicyRule[] _denied;

    private HostPolicy(HostPolicyRule[] allowed, HostPolicyRule[] denied)
    {
        _allowed = allowed;
        _denied = denied;
    }

    /// <summary>Whether there are no rules at all, so nothing is restricted.</summary>
    public bool IsEmpty => _allowed.Length == 0 && _denied.Length == 0;

    public static HostPolicy Create(DependencyRegistryOptions options, List<EndpointValidationError>? errors = null)
    {
        var allowed = Parse(options.AllowedHosts, AllowedKey, errors);
        var denied = Parse(options.DeniedHosts, DeniedKey, errors);
        return new HostPolicy(allowed, denied);
    }

    /// <summary>Null when the host is allowed, else the rule it breaks.</summary>
    public string? Check(string host)
    {
        var target = HostPolicyHost.Parse(host);
        if (Array.Find(_denied, r => r.Matches(target)) is { } denied)
        {
            return $"'{host}' is denied by {DeniedKey} ('{denied.Text}')";
        }

        return _allowed.Length == 0 || Array.Exists(_allowed, r => r.Matches(target))
            ? null
            : $"'{host}' does not match {AllowedKey}";
    }

    /// <summary>
    /// Null when a connection may go to <paramref name="address"/> (a host name's resolved address), else the rule it
    /// breaks. Only denials apply: the name it was resolved from has already passed the allow rules.
    /// </summary>
    public string? CheckConnected(IPAddress address)
    {
        var target = new HostPolicyHost(null, HostPolicyHost.Forms(address));
        return Array.Find(_denied, r => r.Matches(target)) is { } denied
            ? $"{address} is denied by {DeniedKey} ('{denied.Text}')"
            : null;
    }

    /// <summary>Adds an error for the endpoint's host and for each option naming a host (<c>HostHeader</c>, <c>GrpcAuthority</c>) that breaks a rule.</summary>
    public void Validate(EndpointSpec spec, ICollection<EndpointValidationError> errors)
    {
        if (Check(spec.Host ?? string.Empty) is { } refused)
        {
            errors.Add(new EndpointValidationError("Host", refused));
        }

        foreach (var key in HostOptions)
        {
            if (spec.GetOption(key) is { } authority && Check(AuthorityHost(authority)) is { } refusedOption)
            {
                errors.Add(new EndpointValidationError(key, refusedOption));
            }
        }
    }

    /// <summary>The host of <c>host</c>, <c>host:port</c>, <c>[v6]</c>, <c>[v6]:port</c> or a bare IPv6 address.</summary>
    private static string AuthorityHost(string authority)
    {
        var close = authority.IndexOf(']', StringComparison.Ordinal);
        if (authority.StartsWith('[') && close > 0)
        {
            return authority[1..close];
        }

        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon == authority.LastIndexOf(':') ? authority[..colon] : authority;
    }

    private static HostPolicyRule[] Parse(IList<string> patterns, string key, List<EndpointValidationError>? errors)
    {
        var rules = new List<HostPolicyRule>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            var text = patterns[i]?.Trim() ?? string.Empty;
            if (HostPolicyRule.TryParse(text, out var rule))
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
}
