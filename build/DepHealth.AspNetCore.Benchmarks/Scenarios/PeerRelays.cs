using System.Net;
using System.Net.Sockets;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// A counting <see cref="TcpRelay"/> in front of each of the peer scenario's four dependencies: the real PostgreSQL,
/// Redis and RabbitMQ (from build/deps.sh's variables) and the local HTTP service. The applications are given the
/// servers' URLs with the relay's address instead, so every connection they open is counted the same way.
/// </summary>
internal sealed class PeerRelays : IAsyncDisposable
{
    /// <summary>The dependencies in report order; the first three are checked in pool mode by both sides.</summary>
    public static readonly string[] Names = ["postgres", "redis", "amqp", "http"];

    private static readonly string[] ServerVariables = ["DEPHEALTH_TEST_POSTGRES_URL", "DEPHEALTH_TEST_REDIS_URL", "DEPHEALTH_TEST_AMQP_URL"];
    private static readonly string[] AppVariables = [PeerClients.PostgresVariable, PeerClients.RedisVariable, PeerClients.AmqpVariable, PeerClients.HttpVariable];

    private readonly TcpRelay[] _relays;
    private readonly Uri[] _urls;

    private PeerRelays(TcpRelay[] relays, Uri[] urls)
    {
        _relays = relays;
        _urls = urls;
    }

    /// <summary>What the application processes are started with: each dependency's URL, through its relay.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        AppVariables.Select((variable, i) => (variable, Through(_urls[i], _relays[i].Port)))
            .ToDictionary(p => p.variable, p => p.Item2, StringComparer.Ordinal);

    public static async Task<PeerRelays> StartAsync(Uri http)
    {
        var urls = new Uri[Names.Length];
        for (var i = 0; i < ServerVariables.Length; i++)
        {
            var value = System.Environment.GetEnvironmentVariable(ServerVariables[i]);
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidOperationException(
                    $"{ServerVariables[i]} is not set: the peer scenario needs the real servers (build/deps.sh start, then source build/.deps.env).");
            }

            urls[i] = new Uri(value);
        }

        urls[^1] = http;
        var relays = new TcpRelay[Names.Length];
        for (var i = 0; i < Names.Length; i++)
        {
            relays[i] = new TcpRelay(Names[i], new IPEndPoint(await AddressAsync(urls[i].Host), urls[i].Port));
        }

        return new PeerRelays(relays, urls);
    }

    /// <summary>Connections accepted so far, per dependency in <see cref="Names"/> order.</summary>
    public long[] Accepts() => [.. _relays.Select(r => r.Accepts)];

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }
    }

    private static async Task<IPAddress> AddressAsync(string host) =>
        IPAddress.TryParse(host, out var address)
            ? address
            : (await Dns.GetHostAddressesAsync(host)).First(a => a.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>The same URL (credentials, path and query kept as written) with the relay as its host and port.</summary>
    private static string Through(Uri url, int port) =>
        $"{url.Scheme}://{(url.UserInfo.Length > 0 ? url.UserInfo + "@" : "")}127.0.0.1:{port}{url.PathAndQuery}";
}
