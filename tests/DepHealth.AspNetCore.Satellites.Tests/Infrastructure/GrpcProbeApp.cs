using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>
/// An application serving the HTTP probes over HTTP/1.1 and the gRPC probes over h2c (HTTP/2 with prior knowledge, as a
/// kubelet's gRPC probe sends it) on a second, HTTP/2-only loopback port, as the sample's Kubernetes manifest does: Kestrel
/// answers prior-knowledge HTTP/2 on a cleartext Http1AndHttp2 port with HTTP_1_1_REQUIRED. One critical dependency is
/// up while <see cref="Up"/> is true.
/// </summary>
internal sealed class GrpcProbeApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _up;

    private GrpcProbeApp(WebApplication app, bool up)
    {
        _app = app;
        _up = up;
    }

    public bool Up
    {
        get => _up;
        set => _up = value;
    }


    public HttpClient Http { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public static async Task<GrpcProbeApp> StartAsync(bool up)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        GrpcProbeApp? probeApp = null;
        builder.Services.AddDependencyHealth(new ConfigurationBuilder().Build(), o =>
            {
                o.Name = "app";
                o.Group = "team";
                o.CheckInterval = TimeSpan.FromSeconds(1);
                o.Timeout = TimeSpan.FromMilliseconds(500);
                o.InitialDelay = TimeSpan.Zero;
                o.SpreadFirstChecks = false;
            })
            .AddCheck("orders-db", "tcp", "orders.svc", 5432, critical: true, (_, _) => ValueTask.FromResult(probeApp!.Up
                ? CheckResult.Healthy
                : CheckResult.Unhealthy(CheckDetails.ConnectionRefused, "down")));
        builder.Services.AddDependencyHealthGrpcProbes();
        var app = builder.Build();
        probeApp = new GrpcProbeApp(app, up);
        app.MapDependencyHealthProbes();
        app.MapGrpcHealthChecksService();
        await app.StartAsync();
        // Kestrel lists the addresses in the order of the Listen calls.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        probeApp.Http = new HttpClient { BaseAddress = addresses[0] };
        probeApp.Channel = GrpcChannel.ForAddress(addresses[1]);
        return probeApp;
    }

    /// <summary>The gRPC health answer for <paramref name="service"/>, as a kubelet's gRPC probe asks it.</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(string service) =>
        (await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;

    /// <summary>The HTTP status of <c>/health/ready</c> or <c>/health/live</c> over HTTP/1.1.</summary>
    public async Task<int> HttpStatusAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
