using System.Globalization;
using System.Net;
using DepHealth.AspNetCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DepHealth.Sample;

/// <summary>
/// The sample monitors itself wherever it listens: once the server has started (only then is its port known, and the
/// system may have picked it: <c>--urls http://127.0.0.1:0</c>), it adds <c>self-http</c> (GET /health/live) and
/// <c>self-tcp</c> on the address the server bound, as configuration (<see cref="SelfEndpointsConfiguration"/>).
/// Configuration, not the runtime registry: a registry store (sqlite, etcd) would keep them after the process is gone.
/// </summary>
internal sealed partial class SelfEndpoints(
    IServer server,
    IHostApplicationLifetime lifetime,
    SelfEndpointsConfiguration configuration,
    SelfEndpointsReadiness readiness,
    IOptions<DependencyHealthOptions> options,
    ILogger<SelfEndpoints> logger) : IHostedService
{
    public const string HttpDependency = "self-http";
    public const string TcpDependency = "self-tcp";

    private const string Dependencies = DependencyHealthOptions.SectionName + ":Dependencies:";

    private CancellationTokenRegistration _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Reload.Enabled)
        {
            throw new InvalidOperationException(
                "Sample:MonitorSelf needs DependencyHealth:Reload:Enabled=true: the self endpoints are added by a configuration reload once the server listens.");
        }

        _started = lifetime.ApplicationStarted.Register(Add);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _started.Dispose();
        return Task.CompletedTask;
    }

    private void Add()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            // Port 0 was asked for, not bound: a server that binds nothing (the in-memory test server) reports it as is.
            .Where(u => (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && u.Port > 0)
            .OrderBy(u => u.Scheme == Uri.UriSchemeHttp ? 0 : 1)
            .FirstOrDefault();
        if (address is null)
        {
            Log.NoAddress(logger, string.Join(", ", addresses));
            readiness.WaitFor([]);
            return;
        }

        // A server bound to every interface is reached on loopback.
        var host = IPAddress.TryParse(address.DnsSafeHost, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            ? "127.0.0.1"
            : address.DnsSafeHost;
        var port = address.Port.ToString(CultureInfo.InvariantCulture);
        var url = $"{address.Scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";
        readiness.WaitFor([new(HttpDependency, host, address.Port), new(TcpDependency, host, address.Port)]);
        configuration.Set(new Dictionary<string, string?>
        {
            [Dependencies + HttpDependency + ":Url"] = url,
            [Dependencies + HttpDependency + ":HealthPath"] = "/health/live",
            [Dependencies + HttpDependency + ":Critical"] = "true",
            [Dependencies + HttpDependency + ":Labels:role"] = "self",
            [Dependencies + TcpDependency + ":Type"] = DependencyTypes.Tcp,
            [Dependencies + TcpDependency + ":Host"] = host,
            [Dependencies + TcpDependency + ":Port"] = port,
            [Dependencies + TcpDependency + ":Critical"] = "true",
        });
        Log.Monitoring(logger, url);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, EventName = "SelfEndpointsAdded", Level = LogLevel.Information,
            Message = "The sample monitors itself at {Url} (self-http, self-tcp); ready once both have been checked")]
        public static partial void Monitoring(ILogger logger, string url);

        [LoggerMessage(EventId = 9002, EventName = "SelfEndpointsNoAddress", Level = LogLevel.Warning,
            Message = "The server listens on no HTTP address ({Addresses}): the sample does not monitor itself")]
        public static partial void NoAddress(ILogger logger, string addresses);
    }
}
