using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>
/// One app that serves the package's own <c>/metrics</c> and the OpenTelemetry Prometheus exporter's
/// <see cref="ExporterPath"/> from the same state. Its clock moves only inside the checks, by a latency chosen per
/// endpoint, so after the first checks nothing changes and both outputs can be read one after the other.
/// </summary>
public sealed class BothExportersApp : IAsyncDisposable
{
    public const string ExporterPath = "/otel-metrics";

    /// <summary>The endpoints: name, type, host, port, latency, the detail it fails with (null: it succeeds), custom labels.</summary>
    public static readonly (string Name, string Type, string Host, int Port, TimeSpan Latency, string? Failure, Dictionary<string, string> Labels)[] Endpoints =
    [
        ("api", "http", "api.svc", 80, TimeSpan.FromMilliseconds(3), null, new() { ["role"] = "a \"quoted\" \\ value\nwith newline" }),
        ("db", "postgres", "::1", 5432, TimeSpan.FromMilliseconds(40), CheckDetails.AuthError, new() { ["zone"] = "eu", ["role"] = "primary" }),
        ("cache", "redis", "cache.svc", 6379, TimeSpan.FromMilliseconds(700), CheckDetails.Timeout, []),
        ("queue", "kafka", "b0.svc", 9092, TimeSpan.FromSeconds(2), null, new() { ["zone"] = "us" }),
    ];

    private BothExportersApp(TestWebApp app) => App = app;

    public TestWebApp App { get; }

    /// <summary>Starts the app; with <paramref name="waitForChecks"/>, returns once both outputs show every endpoint's first check.</summary>
    public static async Task<BothExportersApp> StartAsync(
        bool waitForChecks = true, Func<CancellationToken, ValueTask>? gate = null, Action<PrometheusAspNetCoreOptions>? exporter = null)
    {
        var time = new TimerTrackingTimeProvider();
        var app = await TestWebApp.StartAsync(
            dependencies: health => AddEndpoints(health, time, gate),
            time: time,
            services: services => AddExporter(services, exporter),
            map: MapExporter);
        var both = new BothExportersApp(app);
        if (waitForChecks)
        {
            await Eventually.ValueAsync(
                async () => (await both.OursAsync(), await both.ExporterAsync()),
                outputs => ShowsEveryEndpoint(outputs.Item1) && ShowsEveryEndpoint(outputs.Item2),
                "both outputs show every endpoint's first check");
        }

        return both;
    }

    /// <summary>Adds <see cref="Endpoints"/>; each check moves <paramref name="time"/> on by its latency, after <paramref name="gate"/>.</summary>
    public static void AddEndpoints(IDependencyHealthBuilder health, FakeTimeProvider time, Func<CancellationToken, ValueTask>? gate = null)
    {
        foreach (var e in Endpoints)
        {
            health.AddCheck(e.Name, e.Type, e.Host, e.Port, critical: e.Failure is null, async (_, ct) =>
            {
                if (gate is not null)
                {
                    await gate(ct);
                }

                time.Advance(e.Latency);
                return e.Failure is null ? CheckResult.Healthy : CheckResult.Unhealthy(e.Failure, "scripted failure");
            }, d =>
            {
                foreach (var (key, value) in e.Labels)
                {
                    d.Labels[key] = value;
                }
            });
        }
    }

    /// <summary>The documented registration: the package's instruments into OpenTelemetry's Prometheus exporter.</summary>
    public static void AddExporter(IServiceCollection services, Action<PrometheusAspNetCoreOptions>? exporter = null) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddDependencyHealthInstrumentation().AddPrometheusExporter(exporter ?? (_ => { })));

    public static void MapExporter(WebApplication app) => app.MapPrometheusScrapingEndpoint(ExporterPath);

    /// <summary>The package's own /metrics, as text 0.0.4.</summary>
    public Task<string> OursAsync() => ReadAsync("/metrics");

    /// <summary>The OpenTelemetry Prometheus exporter's output, as text 0.0.4.</summary>
    public Task<string> ExporterAsync() => ReadAsync(ExporterPath);

    public ValueTask DisposeAsync() => App.DisposeAsync();

    private static bool ShowsEveryEndpoint(string text)
    {
        var families = ExpositionText.Parse(text);
        return families.TryGetValue(ContractFamilies.Health, out var health) && health.Samples.Count == Endpoints.Length
            && families.TryGetValue(ContractFamilies.Latency, out var latency)
            && latency.Samples.Count(s => s.Name.EndsWith("_count", StringComparison.Ordinal)) == Endpoints.Length;
    }

    private async Task<string> ReadAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", "text/plain; version=0.0.4");
        using var response = await App.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}
