using System.Data.Common;
using System.Globalization;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>The server's host and port named by an ADO.NET connection string, as the contract reads .NET connection strings.</summary>
internal static class ConnectionStringAddress
{
    private static readonly string[] HostKeys = ["Host", "Server", "Data Source", "Address", "Addr", "Network Address"];

    /// <summary>The first host and its port (null when the string names none), or null when no host key is present.</summary>
    /// <exception cref="FormatException">The string is not a connection string; the message never quotes it.</exception>
    public static (string Host, int? Port)? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The parser's message quotes the string, password included.
            throw new FormatException("the context's connection string is not a valid ADO.NET connection string");
        }

        var value = HostKeys.Select(k => builder.TryGetValue(k, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (value is null)
        {
            return null;
        }

        int? port = builder.TryGetValue("Port", out var p) && int.TryParse(Convert.ToString(p, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
        var (host, inlinePort) = Split(value);
        return (host, inlinePort ?? port);
    }

    /// <summary>The first entry of a host list (<c>a,b</c>) with its inline port (<c>host,port</c>, <c>host:port</c>, <c>[v6]:port</c>).</summary>
    private static (string Host, int? Port) Split(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);

        // SQL Server's "host,port" against Npgsql's and MySQL's "host1,host2" lists.
        if (parts.Length == 2 && IsPort(parts[1]))
        {
            return (Unbracket(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        var first = parts[0];
        if (first.StartsWith('[') && first.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            var rest = first[(close + 1)..];
            return (first[1..close], rest.StartsWith(':') && IsPort(rest[1..]) ? int.Parse(rest[1..], CultureInfo.InvariantCulture) : null);
        }

        // One colon is host:port; more is an IPv6 address without a port.
        var colon = first.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon == first.LastIndexOf(':') && IsPort(first[(colon + 1)..]))
        {
            return (first[..colon], int.Parse(first[(colon + 1)..], CultureInfo.InvariantCulture));
        }

        return (first, null);
    }

    private static bool IsPort(string text) => text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit);

    private static string Unbracket(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
}
