using System.Globalization;
using DepHealth.AspNetCore.Addressing;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Reads the dependencies named in <see cref="DependencyHealthOptions.FromEnvironment"/> from the contract's environment
/// form <c>DEPHEALTH_&lt;DEP&gt;_&lt;PARAM&gt;</c> (<c>&lt;DEP&gt;</c> the dependency name upper-cased, <c>-</c> as <c>_</c>).
/// Only variables of the named dependencies are read. Values set here win over other configuration of the dependency;
/// malformed values become validation errors keyed by the variable's name.
/// </summary>
internal sealed class EnvironmentDependenciesPostConfigure : IPostConfigureOptions<DependencyHealthOptions>
{
    private readonly Func<string, string?> _read;
    private readonly Func<IEnumerable<string>> _names;

    public EnvironmentDependenciesPostConfigure()
        : this(Environment.GetEnvironmentVariable, static () => Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!))
    {
    }

    internal EnvironmentDependenciesPostConfigure(Func<string, string?> read, Func<IEnumerable<string>> names)
    {
        _read = read;
        _names = names;
    }

    /// <summary>The dependency name for <c>POSTGRES_MAIN</c> or <c>postgres-main</c>: <c>postgres-main</c>.</summary>
    public static string DependencyName(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');

    /// <summary>The variable prefix of a dependency: <c>DEPHEALTH_POSTGRES_MAIN_</c>.</summary>
    public static string Prefix(string dependency) => $"DEPHEALTH_{dependency.ToUpperInvariant().Replace('-', '_')}_";

    public void PostConfigure(string? name, DependencyHealthOptions options)
    {
        options.EnvironmentErrors.Clear();
        foreach (var dependency in options.FromEnvironment.Select(DependencyName).Distinct(StringComparer.Ordinal))
        {
            Read(dependency, options);
        }
    }

    private void Read(string dependency, DependencyHealthOptions options)
    {
        var prefix = Prefix(dependency);
        var errors = options.EnvironmentErrors;
        var existing = options.Dependencies.TryGetValue(dependency, out var d);
        d ??= new DependencyOptions();
        var any = false;

        string? Get(string parameter)
        {
            var value = _read(prefix + parameter);
            if (value is null)
            {
                return null;
            }

            any = true;
            return value.Trim();
        }

        void SetString(string parameter, Action<string> set)
        {
            if (Get(parameter) is { Length: > 0 } value)
            {
                set(value);
            }
        }

        SetString("URL", v => d.Url = v);
        SetString("HOST", v => d.Host = v);
        SetString("TYPE", v => d.Type = v.ToLowerInvariant());
        SetString("HEALTH_PATH", v => d.HealthPath = v);
        SetString("HOST_HEADER", v => d.HostHeader = v);
        SetString("GRPC_AUTHORITY", v => d.GrpcAuthority = v);
        SetString("BEARER_TOKEN", v => d.BearerToken = v);
        SetString("BASIC_USERNAME", v => d.BasicUsername = v);
        SetString("BASIC_PASSWORD", v => d.BasicPassword = v);

        if (Get("PORT") is { } port)
        {
            if (EndpointAddressParser.TryParsePort(port, out var parsed))
            {
                d.Port = parsed;
            }
            else
            {
                errors.Add(new(prefix + "PORT", "must be a number from 1 to 65535"));
            }
        }

        if (Get("CRITICAL") is { } critical)
        {
            if (critical.Equals("yes", StringComparison.OrdinalIgnoreCase) || critical.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                d.Critical = true;
            }
            else if (critical.Equals("no", StringComparison.OrdinalIgnoreCase) || critical.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                d.Critical = false;
            }
            else
            {
                errors.Add(new(prefix + "CRITICAL", "must be yes or no"));
            }
        }

        if (Get("CHECK_INTERVAL") is { } interval)
        {
            d.CheckInterval = Seconds(prefix + "CHECK_INTERVAL", interval, errors) ?? d.CheckInterval;
        }

        if (Get("TIMEOUT") is { } timeout)
        {
            d.Timeout = Seconds(prefix + "TIMEOUT", timeout, errors) ?? d.Timeout;
        }

        var labelPrefix = prefix + "LABEL_";
        foreach (var variable in _names().Where(n => n.StartsWith(labelPrefix, StringComparison.Ordinal) && n.Length > labelPrefix.Length).Order(StringComparer.Ordinal))
        {
            if (_read(variable) is { } value)
            {
                any = true;
                d.Labels[variable[labelPrefix.Length..].ToLowerInvariant()] = value;
            }
        }

        if (any)
        {
            options.Dependencies[dependency] = d;
        }
        else if (!existing)
        {
            errors.Add(new(prefix + "*", $"dependency '{dependency}' is to be read from the environment, but no variable {prefix}* is set"));
        }
    }

    private static TimeSpan? Seconds(string variable, string value, List<EndpointValidationError> errors)
    {
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add(new(variable, "must be a number of seconds, for example 15 or 0.5"));
        return null;
    }
}
