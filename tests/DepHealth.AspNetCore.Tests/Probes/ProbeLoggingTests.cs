using DepHealth.AspNetCore.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>Probes log nothing per request; the application's own health checks keep their logging and their place in the probes.</summary>
[Trait("Category", "unit")]
public sealed class ProbeLoggingTests
{
    private const int Requests = 200;

    private static Task<TestWebApp> StartWithCriticalDependencyDownAsync(Action<IServiceCollection>? services = null, Action<WebApplication>? map = null) =>
        TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => throw new DependencyCheckException("connection_refused", "down"))
                .AddCheck("search", "tcp", "search.svc", 9200, critical: false, (_, _) => throw new DependencyCheckException("timeout", "slow")),
            time: new TimerTrackingTimeProvider(),
            services: services,
            map: map);

    private static async Task<List<FakeLogRecord>> LoggedWhileProbingAsync(TestWebApp app, string path, int expectedStatus)
    {
        await WaitUntilBothFailedAsync(app);
        var before = app.Logs.Records().Count;
        var statuses = new HashSet<int>();
        for (var i = 0; i < Requests; i++)
        {
            statuses.Add((await app.GetAsync(path)).Status);
        }

        Assert.Equal([expectedStatus], statuses);
        return [.. app.Logs.Records().Skip(before)];
    }

    /// <summary>Both endpoints failed their first check and the package logged it; with the manual clock no other check runs.</summary>
    private static async Task WaitUntilBothFailedAsync(TestWebApp app)
    {
        await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Body.Contains("failing", StringComparison.Ordinal) && r.Body.Contains("degraded", StringComparison.Ordinal), "both endpoints were checked");
        await Eventually.TrueAsync(() => app.Logs.WithEventId(1002).Count == 2, "both transitions were logged");
    }

    [Fact]
    public async Task Ready_probes_log_nothing_while_a_critical_dependency_is_down()
    {
        await using var app = await StartWithCriticalDependencyDownAsync();

        var logged = await LoggedWhileProbingAsync(app, "/health/ready", 503);

        Assert.Empty(logged);
    }

    [Fact]
    public async Task Application_health_check_still_logs_through_its_own_MapHealthChecks()
    {
        await using var app = await StartWithCriticalDependencyDownAsync(
            services: s => s.AddHealthChecks().AddCheck("app-db", () => HealthCheckResult.Unhealthy("app db down"), tags: ["app"]),
            map: a => a.MapHealthChecks("/app-health", new HealthCheckOptions { Predicate = r => r.Tags.Contains("app") }));

        var (status, _) = await app.GetAsync("/app-health");

        Assert.Equal(503, status);
        Assert.Contains(app.Logs.Records(), r => r.Id.Id == 103 && r.Level == LogLevel.Error && r.Message.Contains("app-db", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Application_check_tagged_ready_joins_the_ready_probe()
    {
        await using var app = await TestWebApp.StartAsync(
            time: new TimerTrackingTimeProvider(),
            services: s => s.AddHealthChecks().AddCheck("app-db", () => HealthCheckResult.Unhealthy("app db down"), tags: ["ready"]));

        var (status, body) = await app.GetAsync("/health/ready");

        Assert.Equal(503, status);
        Assert.Equal("""{"status":"unhealthy","checks":{"app-db":"unhealthy"}}""", body);
    }

    [Fact]
    public async Task Probe_responses_are_those_of_MapHealthChecks_byte_for_byte()
    {
        await using var app = await StartWithCriticalDependencyDownAsync(
            services: s => s.AddHealthChecks()
                .AddCheck("app-queue", () => HealthCheckResult.Degraded("slow"), tags: ["ready"])
                .AddCheck("app-cache", () => HealthCheckResult.Unhealthy("down"), tags: ["ready", "live"]),
            map: a =>
            {
                a.MapHealthChecks("/reference/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready"), ResponseWriter = ProbeResponseWriter.WriteAsync });
                a.MapHealthChecks("/reference/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live"), ResponseWriter = ProbeResponseWriter.WriteAsync });
            });
        await WaitUntilBothFailedAsync(app);

        var ready = await ResponseAsync(app, "/health/ready");
        var referenceReady = await ResponseAsync(app, "/reference/ready");
        var live = await ResponseAsync(app, "/health/live");
        var referenceLive = await ResponseAsync(app, "/reference/live");

        Assert.Equal(referenceReady, ready);
        Assert.Equal(referenceLive, live);
        Assert.Contains("\"failing\":[\"db:db.svc:5432\"]", ready, StringComparison.Ordinal);
        Assert.Contains("\"degraded\":[\"search:search.svc:9200\"]", ready, StringComparison.Ordinal);
        Assert.Contains("\"checks\":{\"app-queue\":\"degraded\",\"app-cache\":\"unhealthy\"}", ready, StringComparison.Ordinal);
    }

    /// <summary>Status, headers (but the date) and body as one text.</summary>
    private static async Task<string> ResponseAsync(TestWebApp app, string path)
    {
        using var response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
            .Order(StringComparer.Ordinal);
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{await response.Content.ReadAsStringAsync()}";
    }
}
