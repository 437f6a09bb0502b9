using System.Collections.Concurrent;
using System.Net;
using DepHealth.AspNetCore.OpsTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// An app on Kestrel whose state never changes after its first checks (its clock does not move), scraped by a real
/// Prometheus in two jobs: one asks for OpenMetrics 1.0.0, the other for the Prometheus text format 0.0.4. Prometheus
/// before 2.49 has no <c>scrape_protocols</c> and always prefers OpenMetrics, so the text job also passes its Accept
/// header as a URL parameter that a middleware of this test app puts in place. The app records what each job was served.
/// </summary>
public sealed class FormatsScrapeFixture : IAsyncLifetime
{
    public const string OpenMetricsJob = "openmetrics";
    public const string TextJob = "text";

    private WebApplication? _app;
    private PrometheusServer? _prometheus;

    public PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    /// <summary>The Content-Type and Content-Encoding of the last response to each job.</summary>
    public ConcurrentDictionary<string, (string? ContentType, string? ContentEncoding)> Served { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<TimeProvider>(new TimerTrackingTimeProvider());
        builder.Services.AddDependencyHealth(new ConfigurationBuilder().Build(), o =>
            {
                o.Name = "formats";
                o.Group = "ops";
                o.InitialDelay = TimeSpan.Zero;
                o.SpreadFirstChecks = false;
            })
            .AddCheck("ok-dep", "http", "ok.svc", 80, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy), d => d.Labels["role"] = "a \"quoted\" \\ value\nwith newline")
            .AddCheck("bad-dep", "postgres", "::1", 5432, critical: false, (_, _) => ValueTask.FromResult(CheckResult.Unhealthy("auth_error", "denied")));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (context.Request.Query.TryGetValue("accept", out var accept))
            {
                context.Request.Headers.Accept = accept;
            }

            var job = context.Request.Query["job"].ToString();
            context.Response.OnStarting(() =>
            {
                Served[job] = (context.Response.ContentType, context.Response.Headers.ContentEncoding.ToString());
                return Task.CompletedTask;
            });
            await next(context);
        });
        _app.MapDependencyHealthMetrics();
        await _app.StartAsync();
        var address = new Uri(_app.Urls.First());
        var target = $"127.0.0.1:{address.Port}";

        _prometheus = await PrometheusServer.StartAsync(
            [
                new ScrapeJob(OpenMetricsJob, target, new Dictionary<string, string> { ["job"] = OpenMetricsJob }, "OpenMetricsText1.0.0"),
                new ScrapeJob(TextJob, target, new Dictionary<string, string> { ["job"] = TextJob, ["accept"] = "text/plain;version=0.0.4" }, "PrometheusText0.0.4"),
            ],
            []);
        await Eventually.ValueAsync(
            async () => (await _prometheus.GetAsync("api/v1/targets")).GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToArray(),
            targets => targets.Length == 2 && targets.All(t => t.GetProperty("health").GetString() != "unknown"),
            "Prometheus has scraped both jobs once",
            TimeSpan.FromSeconds(60));
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
