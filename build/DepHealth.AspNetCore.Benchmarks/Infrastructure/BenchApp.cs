using System.Net;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>A real Kestrel application on 127.0.0.1 with an ephemeral port, logging off (as a loaded production app would filter it).</summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchApp(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    public EndpointRegistry Registry => Services.GetRequiredService<EndpointRegistry>();

    public HealthStateStore Store => Services.GetRequiredService<HealthStateStore>();

    public CheckScheduler Scheduler => Services.GetRequiredService<CheckScheduler>();

    public SchedulerStatistics Statistics => Services.GetRequiredService<SchedulerStatistics>();

    public PrometheusExposition Exposition => Services.GetRequiredService<PrometheusExposition>();

    public Uri Url(string path) => new(BaseUri, path);

    /// <summary>An application using this package: every endpoint of the package mapped.</summary>
    public static Task<BenchApp> StartOursAsync(
        Action<DependencyHealthOptions> options,
        Action<IDependencyHealthBuilder>? dependencies = null,
        Action<WebApplication>? map = null) =>
        StartAsync(
            services =>
            {
                var health = services.AddDependencyHealth(o =>
                {
                    o.Name = "bench";
                    o.Group = "perf";
                    o.InitialDelay = TimeSpan.Zero;
                    options(o);
                });
                dependencies?.Invoke(health);
            },
            app =>
            {
                app.MapDependencyHealthProbes();
                app.MapDependencyHealthMetrics();
                app.MapDependencyHealthDetails();
                map?.Invoke(app);
            });

    public static async Task<BenchApp> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
