using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DepHealth.AspNetCore.Addressing;

/// <summary>
/// Parses the contract's address forms — URLs (with several hosts), host and port, and .NET connection
/// strings — into endpoints. Errors never repeat the input, which may hold credentials.
/// </summary>
internal static class EndpointAddressParser
{
    private static readonly string[] HostKeys = ["Host", "Server", "Data Source", "Address", "Addr", "Network Address"];

    /// <summary>The type a URL scheme decides, and its default port; null when the scheme is unknown.</summary>
    public static (string Type, int? DefaultPort)? Scheme(string scheme) => scheme.ToLowerInvariant() switch
    {
        "postgres" or "postgresql" => (DependencyTypes.Postgres, 5432),
        "mysql" => (DependencyTypes.MySql, 3306),
        "redis" or "rediss" => (DependencyTypes.Redis, 6379),
        "amqp" => (DependencyTypes.Amqp, 5672),
        "amqps" => (DependencyTypes.Amqp, 5671),
        "http" => (DependencyTypes.Http, 80),
        "https" => (DependencyTypes.Http, 443),
        "grpc" => (DependencyTypes.Grpc, 443),
        "kafka" => (DependencyTypes.Kafka, 9092),
        "ldap" => (DependencyTypes.Ldap, 389),
        "ldaps" => (DependencyTypes.Ldap, 636),
        "tcp" => (DependencyTypes.Tcp, null),
        _ => null,
    };

    /// <summary>Parses a URL; returns the type its scheme decides and one endpoint per host.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="explicitType">The configured type, which wins over the scheme.</param>
    /// <param name="type">The type: the explicit one, else the scheme's.</param>
    /// <param name="hosts">One entry per host, in order.</param>
    /// <param name="error">Why it is invalid, without the URL itself.</param>
    public static bool TryParseUrl(string url, string? explicitType, out string? type, out List<HostPort> hosts, out string? error)
    {
        type = explicitType;
        hosts = [];
        error = null;

        if (!UrlParts.TryParse(url, out var parts))
        {
            error = "must be an absolute URL such as scheme://host:port";
            return false;
        }

        var known = Scheme(parts.Scheme);
        type ??= known?.Type;
        if (type is null)
        {
            error = $"scheme '{Sanitize(parts.Scheme)}' is unknown: give Type or use one of postgres, postgresql, mysql, redis, rediss, amqp, amqps, http, https, grpc, kafka, ldap, ldaps, tcp";
            return false;
        }

        if (parts.HostList.Length == 0)
        {
            error = "has no host";
            return false;
        }

        return TryParseHostList(parts.HostList, known?.DefaultPort ?? DependencyTypes.DefaultPort(type), type, hosts, out error);
    }

    /// <summary>Parses a .NET connection string into endpoints.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="type">The type, for the default port.</param>
    /// <param name="hosts">The endpoints.</param>
    /// <param name="error">Why it is invalid, without the connection string itself.</param>
    public static bool TryParseConnectionString(string connectionString, string type, out List<HostPort> hosts, out string? error)
    {
        hosts = [];
        error = null;
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            error = "is not a valid connection string (key=value pairs separated by ';')";
            return false;
        }

        string? hostValue = null;
        foreach (var key in HostKeys)
        {
            if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } text)
            {
                hostValue = text;
                break;
            }
        }

        if (hostValue is null)
        {
            error = "has no host: set Host, Server, Data Source, Address, Addr or Network Address";
            return false;
        }

        int? explicitPort = null;
        if (builder.TryGetValue("Port", out var portValue) && portValue is not null)
        {
            if (!TryParsePort(Convert.ToString(portValue, CultureInfo.InvariantCulture), out var parsed))
            {
                error = "Port must be a number from 1 to 65535";
                return false;
            }

            explicitPort = parsed;
        }

        hostValue = hostValue.Trim();
        if (hostValue.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            hostValue = hostValue[4..];
        }

        // SQL Server style "host,port": a single comma followed by digits only.
        var comma = hostValue.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && comma == hostValue.LastIndexOf(',') && hostValue[(comma + 1)..].Trim().All(char.IsAsciiDigit))
        {
            hostValue = hostValue[..comma] + ":" + hostValue[(comma + 1)..].Trim();
        }

        return TryParseHostList(hostValue, explicitPort ?? DependencyTypes.DefaultPort(type), type, hosts, out error);
    }

    /// <summary>Whether <paramref name="text"/> is a decimal port from 1 to 65535.</summary>
    public static bool TryParsePort(string? text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    /// <summary>Whether a host is well formed: a DNS name or an IP address, IPv6 without brackets.</summary>
    public static bool IsValidHost(string host, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(host))
        {
            error = "is required";
            return false;
        }

        if (host.Length > 253)
        {
            error = "must be at most 253 characters";
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            if (host.StartsWith('[') || !IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = "must be a host name or an IP address (IPv6 without brackets)";
                return false;
            }

            return true;
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                error = "must be a host name or an IP address (letters, digits, '.', '-', '_')";
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <c>h1[:p1],h2[:p2]…</c>; a host without a port takes the previous one's, else the default.</summary>
    private static bool TryParseHostList(string list, int? defaultPort, string type, List<HostPort> hosts, out string? error)
    {
        error = null;
        int? previousPort = null;
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TrySplitHostPort(part, out var host, out var port, out error))
            {
                return false;
            }

            port ??= previousPort ?? defaultPort;
            if (port is null)
            {
                error = $"host '{host}' has no port and type '{type}' has no default port";
                return false;
            }

            hosts.Add(new HostPort(host, port.Value));
            previousPort = port;
        }

        return true;
    }

    private static bool TrySplitHostPort(string part, out string host, out int? port, out string? error)
    {
        host = string.Empty;
        port = null;
        error = null;
        part = part.Trim();
        if (part.Length == 0)
        {
            error = "has an empty host";
            return false;
        }

        string? portText = null;
        if (part[0] == '[')
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "has an IPv6 address without its closing ']'";
                return false;
            }

            host = part[1..close];
            var rest = part[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = "has text after an IPv6 address that is not ':port'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = part.LastIndexOf(':');
            if (colon >= 0 && part.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // A bare IPv6 address without brackets and without a port.
                host = part;
            }
            else if (colon >= 0)
            {
                host = part[..colon];
                portText = part[(colon + 1)..];
            }
            else
            {
                host = part;
            }
        }

        if (!IsValidHost(host, out var hostError))
        {
            error = $"host {hostError}";
            return false;
        }

        if (portText is not null)
        {
            if (!TryParsePort(portText, out var parsed))
            {
                error = $"port of host '{host}' must be a number from 1 to 65535";
                return false;
            }

            port = parsed;
        }

        return true;
    }

    private static string Sanitize(string text) => text.Length > 20 ? text[..20] + "…" : text;
}
