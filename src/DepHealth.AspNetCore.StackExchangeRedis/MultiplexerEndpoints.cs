using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace DepHealth.AspNetCore.StackExchangeRedis;

/// <summary>The host and port labels of a multiplexer's configured endpoints, and the server behind one of them.</summary>
internal static class MultiplexerEndpoints
{
    /// <summary>The configured endpoints as host and port, in configuration order.</summary>
    public static IReadOnlyList<(string Host, int Port)> Configured(IConnectionMultiplexer multiplexer, string dependency)
    {
        var endpoints = multiplexer.GetEndPoints(configuredOnly: true).Select(e => Locate(e, dependency)).Distinct().ToList();
        return endpoints.Count > 0
            ? endpoints
            : throw new InvalidOperationException($"Dependency '{dependency}': the IConnectionMultiplexer has no configured endpoint.");
    }

    /// <summary>The server the endpoint names, or null when it is not one of the configured endpoints.</summary>
    public static IServer? Find(IConnectionMultiplexer multiplexer, EndpointSpec endpoint)
    {
        foreach (var candidate in multiplexer.GetEndPoints(configuredOnly: true))
        {
            var (host, port) = Locate(candidate, endpoint.Dependency);
            if (port == endpoint.Port && string.Equals(host, endpoint.Host, StringComparison.OrdinalIgnoreCase))
            {
                return multiplexer.GetServer(candidate);
            }
        }

        return null;
    }

    /// <summary>A <c>redis://</c> URL listing the endpoints, so that each becomes one endpoint of the dependency.</summary>
    public static string Url(IReadOnlyList<(string Host, int Port)> endpoints) =>
        "redis://" + string.Join(',', endpoints.Select(e => string.Create(
            CultureInfo.InvariantCulture, $"{(e.Host.Contains(':', StringComparison.Ordinal) ? $"[{e.Host}]" : e.Host)}:{e.Port}")));

    private static (string Host, int Port) Locate(EndPoint endpoint, string dependency)
    {
        var (host, port) = endpoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new NotSupportedException(
                $"Dependency '{dependency}': the multiplexer endpoint type {endpoint.GetType().Name} has no host and port to report."),
        };

        // A configuration without a port means the Redis default.
        return (host, port == 0 ? DependencyTypes.DefaultPort(DependencyTypes.Redis) ?? 6379 : port);
    }
}
