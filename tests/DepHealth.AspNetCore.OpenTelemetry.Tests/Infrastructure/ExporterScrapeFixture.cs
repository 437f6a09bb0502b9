using System.Net;
using DepHealth.AspNetCore.OpsTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>
/// <see cref="BothExportersApp.Endpoints"/> on Kestrel, its state fixed after the first checks, scraped by a real
/// Prometheus in two jobs: <see cref="OursJob"/> reads the package's /metrics, <see cref="ExporterJob"/> the
/// OpenTelemetry Prometheus exporter's endpoint. Ready once both jobs have scraped every endpoint's first check.
/// </summary>
public sealed class ExporterScrapeFixture : IAsyncLifetime
{
    public const string OursJob = "dephealth";
    public const string ExporterJob = "otel";

    private WebApplication? _app;
    private PrometheusServer? _prometheus;

    public PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var time = new TimerTrackingTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(time);
        BothExportersApp.AddEndpoints(builder.Services.AddDependencyHealth(new ConfigurationBuilder().Build(), TestDefaults.Options(null)), time);
        BothExportersApp.AddExporter(builder.Services);
        _app = builder.Build();
        _app.MapDependencyHealthMetrics();
        BothExportersApp.MapExporter(_app);
        await _app.StartAsync();
        var target = $"127.0.0.1:{new Uri(_app.Urls.First()).Port}";

        _prometheus = await PrometheusServer.StartAsync(
            [new ScrapeJob(OursJob, target), new ScrapeJob(ExporterJob, target, MetricsPath: BothExportersApp.ExporterPath)],
            []);
        foreach (var job in new[] { OursJob, ExporterJob })
        {
            await Eventually.ValueAsync(
                () => _prometheus.QueryAsync($"count(app_dependency_latency_seconds_count{{job=\"{job}\"}})"),
                r => r.GetProperty("data").GetProperty("result") is { ValueKind: System.Text.Json.JsonValueKind.Array } result
                    && result.GetArrayLength() == 1 && result[0].GetProperty("value")[1].GetString() == BothExportersApp.Endpoints.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Prometheus has stored job {job}'s series of every endpoint",
                TimeSpan.FromSeconds(60));
        }
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
