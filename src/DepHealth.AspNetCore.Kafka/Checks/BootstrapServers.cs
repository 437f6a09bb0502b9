using System.Globalization;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>librdkafka's <c>bootstrap.servers</c> form: <c>host:port</c> entries separated by commas, IPv6 hosts in brackets.</summary>
internal static class BootstrapServers
{
    public static string Format(string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");

    /// <summary>The first server of a list; a server without a port takes Kafka's default, 9092.</summary>
    /// <exception cref="ArgumentException">The list is empty or its first server is not <c>host[:port]</c>.</exception>
    public static (string Host, int Port) First(string servers, string parameterName)
    {
        var first = servers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null)
        {
            throw new ArgumentException("The bootstrap servers list is empty: give host:port[,host:port...].", parameterName);
        }

        // A scheme prefix (PLAINTEXT://, SSL://...) is allowed by librdkafka and names no host.
        var scheme = first.IndexOf("://", StringComparison.Ordinal);
        first = scheme >= 0 ? first[(scheme + 3)..] : first;
        string host;
        string? port = null;
        if (first.StartsWith('['))
        {
            var close = first.IndexOf(']', StringComparison.Ordinal);
            host = close > 1 ? first[1..close] : string.Empty;
            port = close >= 0 && close + 1 < first.Length && first[close + 1] == ':' ? first[(close + 2)..] : null;
        }
        else
        {
            var colon = first.LastIndexOf(':');
            host = colon >= 0 ? first[..colon] : first;
            port = colon >= 0 ? first[(colon + 1)..] : null;
        }

        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal) && !first.StartsWith('['))
        {
            throw new ArgumentException("The first bootstrap server has no host: give host:port ([address]:port for IPv6).", parameterName);
        }

        if (port is null)
        {
            return (host, DependencyTypes.DefaultPort(DependencyTypes.Kafka) ?? 9092);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? (host, number)
            : throw new ArgumentException("The first bootstrap server's port must be a number from 1 to 65535.", parameterName);
    }
}
