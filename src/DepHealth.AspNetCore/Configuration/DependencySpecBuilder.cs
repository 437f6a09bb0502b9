using System.Collections.Frozen;
using System.Globalization;
using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>Turns the configured dependencies into endpoint specs, one per host; errors name the configuration key.</summary>
internal static class DependencySpecBuilder
{
    public static List<EndpointSpec> Build(DependencyHealthOptions options, List<EndpointValidationError> errors)
    {
        var specs = new List<EndpointSpec>();
        var seen = new HashSet<EndpointKey>();
        foreach (var (name, dependency) in options.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var prefix = $"{DependencyHealthOptions.SectionName}:Dependencies:{name}";
            var local = new List<EndpointValidationError>();
            foreach (var spec in Build(name, dependency, local))
            {
                if (!seen.Add(spec.Key))
                {
                    local.Add(new("Url", $"endpoint {spec.Key} is declared more than once (dependency, host and port must be unique)"));
                    continue;
                }

                specs.Add(spec);
            }

            foreach (var error in local)
            {
                errors.Add(error with { Field = $"{prefix}:{error.Field}" });
            }
        }

        return specs;
    }

    /// <summary>Builds the specs of one dependency; error fields are relative to the dependency's section.</summary>
    public static List<EndpointSpec> Build(string name, DependencyOptions dependency, List<EndpointValidationError> errors)
    {
        var result = new List<EndpointSpec>();
        if (!EndpointSpecValidator.IsValidName(name))
        {
            errors.Add(new("Name", $"dependency name '{name}' {EndpointSpecValidator.NameRule}"));
        }

        if (dependency.Critical is null)
        {
            errors.Add(new("Critical", "is required: set true or false"));
        }

        // Type options are validated by the type's factory; the application's own checker reads none, so a key is a typo.
        if (dependency.CheckerFactory is not null)
        {
            foreach (var key in dependency.Options.Keys)
            {
                errors.Add(new(key, $"'{key}' is not a dependency option, and this dependency's checker is the application's own, which reads no type options"));
            }
        }

        if (dependency.Type is not null && !DependencyTypes.IsWellFormed(dependency.Type))
        {
            errors.Add(new("Type", $"'{dependency.Type}' is not a type: {DependencyTypes.Rule}"));
            return result;
        }

        var sources = (dependency.Url is not null ? 1 : 0) + (dependency.Host is not null ? 1 : 0) + (dependency.ConnectionString is not null ? 1 : 0);
        if (sources != 1)
        {
            errors.Add(new("Url", sources == 0
                ? "is required: give Url, or Host and Port, or ConnectionString"
                : "give only one of Url, Host (with Port) and ConnectionString"));
            return result;
        }

        string? type = dependency.Type;
        List<HostPort> hosts;
        if (dependency.Url is not null)
        {
            if (!EndpointAddressParser.TryParseUrl(dependency.Url, dependency.Type, out type, out hosts, out var error))
            {
                errors.Add(new("Url", error!));
                return result;
            }
        }
        else if (dependency.ConnectionString is not null)
        {
            if (type is null)
            {
                errors.Add(new("Type", "is required with ConnectionString"));
                return result;
            }

            if (!EndpointAddressParser.TryParseConnectionString(dependency.ConnectionString, type, out hosts, out var error))
            {
                errors.Add(new("ConnectionString", error!));
                return result;
            }
        }
        else
        {
            if (type is null)
            {
                errors.Add(new("Type", "is required with Host and Port"));
                return result;
            }

            if (!EndpointAddressParser.IsValidHost(dependency.Host!, out var hostError))
            {
                errors.Add(new("Host", hostError!));
                return result;
            }

            var port = dependency.Port ?? DependencyTypes.DefaultPort(type);
            if (port is null)
            {
                errors.Add(new("Port", $"is required for type '{type}'"));
                return result;
            }

            if (port is < 1 or > 65535)
            {
                errors.Add(new("Port", string.Create(CultureInfo.InvariantCulture, $"{port} is out of range: must be 1 to 65535")));
                return result;
            }

            hosts = [new HostPort(Unbracket(dependency.Host!), port.Value)];
        }

        var options = CheckerOptions(dependency);
        var labels = dependency.Labels.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var (host, port) in hosts)
        {
            result.Add(new EndpointSpec
            {
                Dependency = name,
                Type = type!,
                Host = host,
                Port = port,
                Critical = dependency.Critical ?? false,
                Labels = labels,
                CheckInterval = dependency.CheckInterval,
                Timeout = dependency.Timeout,
                InitialDelay = dependency.InitialDelay,
                FailureThreshold = dependency.FailureThreshold,
                SuccessThreshold = dependency.SuccessThreshold,
                Options = options,
                CheckerFactory = dependency.CheckerFactory,
            });
        }

        return result;
    }

    /// <summary>The checker options of a dependency, keyed by their configuration keys.</summary>
    public static FrozenDictionary<string, string> CheckerOptions(DependencyOptions d)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                options[key] = value;
            }
        }

        void SetBool(string key, bool? value)
        {
            if (value is not null)
            {
                options[key] = value.Value ? "true" : "false";
            }
        }

        Set(CheckerOptionKeys.Url, d.Url);
        Set(CheckerOptionKeys.ConnectionString, d.ConnectionString);
        Set(CheckerOptionKeys.HealthPath, d.HealthPath);
        Set(CheckerOptionKeys.Method, d.Method);
        foreach (var (key, value) in d.Headers)
        {
            Set($"{CheckerOptionKeys.Headers}:{key}", value);
        }

        Set(CheckerOptionKeys.BearerToken, d.BearerToken);
        Set(CheckerOptionKeys.BasicUsername, d.BasicUsername);
        Set(CheckerOptionKeys.BasicPassword, d.BasicPassword);
        Set(CheckerOptionKeys.HostHeader, d.HostHeader);
        SetBool(CheckerOptionKeys.TlsSkipVerify, d.TlsSkipVerify);
        Set(CheckerOptionKeys.HttpClientName, d.HttpClientName);
        Set(CheckerOptionKeys.Query, d.Query);
        Set(CheckerOptionKeys.ServiceName, d.ServiceName);
        Set(CheckerOptionKeys.GrpcAuthority, d.GrpcAuthority);
        foreach (var (key, value) in d.Metadata)
        {
            Set($"{CheckerOptionKeys.Metadata}:{key}", value);
        }

        SetBool(CheckerOptionKeys.Tls, d.Tls);
        Set(CheckerOptionKeys.Database, d.Database);
        Set(CheckerOptionKeys.Username, d.Username);
        Set(CheckerOptionKeys.Password, d.Password);
        // The type's own options; a property of the same name set above wins.
        foreach (var (key, value) in d.Options)
        {
            options.TryAdd(key, value);
        }

        return options.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static string Unbracket(string host) =>
        host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
}
