using System.Text.RegularExpressions;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Checkers that hang ignoring cancellation, throw synchronously or asynchronously, allocate heavily or finish after the
/// app stopped never disturb anything else: other endpoints keep their exact schedule, the scheduler and liveness stay
/// up, and abandoned calls are bounded (one per endpoint) and visible in <c>app_dependency_checks_in_flight</c>.
/// </summary>
[Trait("Category", "integration")]
public sealed class FaultToleranceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Misbehaving_checkers_leave_other_schedules_liveness_and_in_flight_bounds_intact()
    {
        var time = new TimerTrackingTimeProvider();
        var never = new TaskCompletionSource();
        var observer = new ScriptedChecker(time);
        var lateFinish = new TaskCompletionSource();
        var faults = new Dictionary<string, ScriptedChecker>
        {
            ["hangs"] = new ScriptedChecker(time).Then(_ => new ValueTask(never.Task)),
            ["throws-sync"] = new ScriptedChecker(time).ThenThrow(new InvalidOperationException("sync")),
            ["throws-async"] = new ScriptedChecker(time).Then(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async");
            }),
            ["allocates"] = new ScriptedChecker(time).Then(_ =>
            {
                var garbage = new List<byte[]>();
                for (var i = 0; i < 64; i++)
                {
                    garbage.Add(new byte[256 * 1024]);
                }

                return garbage.Count == 64 ? ValueTask.CompletedTask : ValueTask.FromException(new InvalidOperationException());
            }),
            ["returns-late"] = new ScriptedChecker(time).Then(_ => new ValueTask(lateFinish.Task)),
        };
        var app = await TestWebApp.StartAsync(
            o => o.Timeout = TimeSpan.FromSeconds(2),
            b =>
            {
                b.AddChecker("observer", "tcp", "observer.svc", 1, critical: true, _ => observer);
                foreach (var (name, checker) in faults)
                {
                    b.AddChecker(name, "tcp", $"{name}.svc", 1, critical: false, _ => checker);
                }
            },
            time);
        var start = time.GetUtcNow();
        try
        {
            await RunAsync(app, time, start, observer, faults);
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Both abandoned calls now finish after the app stopped: nothing may throw or be recorded.
        lateFinish.SetResult();
        never.SetResult();
        await Eventually.TrueAsync(() => faults["returns-late"].Calls == 1, "no further calls after stop");
    }

    private static async Task RunAsync(TestWebApp app, TimerTrackingTimeProvider time, DateTimeOffset start, ScriptedChecker observer, Dictionary<string, ScriptedChecker> faults)
    {
        for (var tick = 0; tick < 10; tick++)
        {
            await Eventually.TrueAsync(
                () => observer.Calls == tick + 1 && faults["throws-sync"].Calls == tick + 1 && faults["throws-async"].Calls == tick + 1 && faults["allocates"].Calls == tick + 1,
                $"observer and the throwing checkers checked at tick {tick}");
            time.Advance(TimeSpan.FromSeconds(2));
            time.Advance(TimeSpan.FromSeconds(2));
            time.Advance(Interval - TimeSpan.FromSeconds(4));
        }

        await Eventually.TrueAsync(
            () => observer.Calls == 11 && faults["throws-sync"].Calls == 11 && faults["throws-async"].Calls == 11 && faults["allocates"].Calls == 11,
            "everyone but the hung checkers checked at tick 10");
        Assert.Equal(Enumerable.Range(0, 11).Select(i => start + (i * Interval)), observer.CallTimes);

        // A checker's call count moves when the checker returns (throws-async even before its task ends); the call leaves
        // the in-flight gauge just before its result is recorded. Wait for the tick's results, so that the gauge holds
        // only the abandoned calls.
        var store = app.Services.GetRequiredService<HealthStateStore>();
        await Eventually.TrueAsync(
            () => new[] { "observer", "throws-sync", "throws-async", "allocates" }.All(name =>
                store.TryGet(new EndpointKey(name, $"{name}.svc", 1), out var entry) && entry.Read().CheckCount == 11),
            "the results of tick 10 are recorded");

        var live = await app.GetAsync("/health/live");
        Assert.Equal(200, live.Status);
        var metrics = (await app.GetAsync("/metrics")).Body;
        var inFlight = int.Parse(Regex.Match(metrics, @"app_dependency_checks_in_flight (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // The hung and the late call are each abandoned once and never stacked: at most one call per endpoint.
        Assert.InRange(inFlight, 2, 2);
        Assert.Equal(1, faults["hangs"].Calls);
        Assert.Equal(1, faults["returns-late"].Calls);
        Assert.Equal(11, faults["throws-sync"].Calls);
        Assert.Equal(11, faults["throws-async"].Calls);
        Assert.Equal(11, faults["allocates"].Calls);
        var details = (await app.GetAsync("/health/details")).Body;
        Assert.Contains("\"hangs:hangs.svc:1\":{\"healthy\":false,\"status\":\"timeout\"", details, StringComparison.Ordinal);
        Assert.Contains("\"throws-sync:throws-sync.svc:1\":{\"healthy\":false,\"status\":\"error\"", details, StringComparison.Ordinal);
    }
}
