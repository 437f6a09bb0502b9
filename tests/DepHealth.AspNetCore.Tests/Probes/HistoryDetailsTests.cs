using System.Text.Json;

namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>Details add <c>flapping</c> to every endpoint and, with <c>?history=true</c>, its kept results.</summary>
[Trait("Category", "unit")]
public sealed class HistoryDetailsTests
{
    private static async Task<TestWebApp> StartFlappingAppAsync(TimerTrackingTimeProvider time, ScriptedChecker checker) =>
        await TestWebApp.StartAsync(
            configure: o =>
            {
                o.CheckInterval = TimeSpan.FromSeconds(1);
                o.Timeout = TimeSpan.FromMilliseconds(500);
                o.History.Size = 5;
                o.History.FlapThreshold = 2;
            },
            dependencies: b => b.AddChecker("flaky", "tcp", "flaky.svc", 1, critical: false, _ => checker),
            time: time);

    /// <summary>Advances the clock one interval at a time; each step waits until that check's result is recorded.</summary>
    private static async Task CheckTimesAsync(TestWebApp app, TimerTrackingTimeProvider time, int count)
    {
        await RecordedAsync(app, time);
        for (var i = 0; i < count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await RecordedAsync(app, time);
        }
    }

    private static Task<(int Status, string Body)> RecordedAsync(TestWebApp app, TimerTrackingTimeProvider time) =>
        Eventually.ValueAsync(
            () => app.GetAsync("/health/details"),
            r => JsonDocument.Parse(r.Body).RootElement.GetProperty("flaky:flaky.svc:1").GetProperty("last_checked_at").GetString() == Format(time.GetUtcNow()),
            "the check at the current time is recorded");

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task History_true_lists_the_kept_results_oldest_first_in_the_dashboards_shape()
    {
        var time = new TimerTrackingTimeProvider();
        var checker = new ScriptedChecker(time).ThenSucceed().ThenFail(CheckDetails.ConnectionRefused).ThenSucceed();
        await using var app = await StartFlappingAppAsync(time, checker);
        await CheckTimesAsync(app, time, 2);

        var (_, body) = await app.GetAsync("/health/details?history=true");

        var history = JsonDocument.Parse(body).RootElement.GetProperty("flaky:flaky.svc:1").GetProperty("history");
        Assert.Equal(
            ["true ok ok", "false connection_error connection_refused", "true ok ok"],
            history.EnumerateArray().Select(h => $"{(h.GetProperty("healthy").GetBoolean() ? "true" : "false")} {h.GetProperty("status").GetString()} {h.GetProperty("detail").GetString()}"));
        Assert.Equal(
            [Format(time.GetUtcNow().AddSeconds(-2)), Format(time.GetUtcNow().AddSeconds(-1)), Format(time.GetUtcNow())],
            history.EnumerateArray().Select(h => h.GetProperty("at").GetString()));
        Assert.All(history.EnumerateArray(), h => Assert.Equal(JsonValueKind.Number, h.GetProperty("latency_ms").ValueKind));
    }

    [Fact]
    public async Task Details_without_history_show_flapping_only()
    {
        var time = new TimerTrackingTimeProvider();
        var checker = new ScriptedChecker(time).ThenSucceed();
        await using var app = await StartFlappingAppAsync(time, checker);
        await Eventually.TrueAsync(() => checker.Calls >= 1, "the first check ran");

        var (_, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/details"), r => r.Body.Contains("\"detail\":\"ok\"", StringComparison.Ordinal), "the check is recorded");

        var endpoint = JsonDocument.Parse(body).RootElement.GetProperty("flaky:flaky.svc:1");
        Assert.False(endpoint.GetProperty("flapping").GetBoolean());
        Assert.False(endpoint.TryGetProperty("history", out _));
    }

    [Fact]
    public async Task Flapping_endpoint_is_marked_in_details_counted_in_metrics_and_logged()
    {
        var time = new TimerTrackingTimeProvider();
        var checker = new ScriptedChecker(time).ThenSucceed().ThenFail().ThenSucceed().ThenFail().ThenSucceed();
        await using var app = await StartFlappingAppAsync(time, checker);
        await CheckTimesAsync(app, time, 3);

        // Three changes within five results, threshold two: flapping.
        var (_, body) = await app.GetAsync("/health/details");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("flaky:flaky.svc:1").GetProperty("flapping").GetBoolean());
        var metrics = (await app.GetAsync("/metrics")).Body;
        Assert.Contains("# TYPE app_dependency_flaps_total counter\n", metrics, StringComparison.Ordinal);
        Assert.Contains("app_dependency_flaps_total{name=\"app\",group=\"team\",dependency=\"flaky\",type=\"tcp\",host=\"flaky.svc\",port=\"1\",critical=\"no\"} 1\n", metrics, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => app.Logs.WithEventId(1006).Count == 1, "the start of flapping is logged once");
        Assert.Contains("flaky:flaky.svc:1", app.Logs.WithEventId(1006)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flaps_series_is_removed_with_its_endpoint()
    {
        var time = new TimerTrackingTimeProvider();
        var checker = new ScriptedChecker(time).ThenSucceed();
        await using var app = await StartFlappingAppAsync(time, checker);
        await Eventually.ValueAsync(() => app.GetAsync("/metrics"), r => r.Body.Contains("app_dependency_flaps_total{", StringComparison.Ordinal), "the flaps series exists after the first check");

        await app.Registry.RemoveAsync("flaky", "flaky.svc", 1);

        Assert.DoesNotContain("app_dependency_flaps_total{", (await app.GetAsync("/metrics")).Body, StringComparison.Ordinal);
    }
}
