
namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>Contract §2: the interval runs from check start to check start; an overrun is followed at once by one check.</summary>
[Trait("Category", "unit")]
public sealed class IntervalTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Checks_start_one_interval_apart_whatever_the_check_takes()
    {
        await using var harness = new SchedulerHarness();
        var time = harness.Time;
        var checker = new ScriptedChecker(time).Then(ct => new ValueTask(Task.Delay(TimeSpan.FromSeconds(3), time, ct)));
        var start = time.GetUtcNow();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await Eventually.TrueAsync(() => checker.Calls == 1, "the first check started");
        for (var i = 1; i <= 3; i++)
        {
            // Each check takes 3 s of the 10 s interval.
            time.Advance(TimeSpan.FromSeconds(3));
            await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, i);
            time.Advance(Interval - TimeSpan.FromSeconds(3));
            await Eventually.TrueAsync(() => checker.Calls == i + 1, $"check {i + 1} started");
        }

        Assert.Equal(
            [start, start + Interval, start + (2 * Interval), start + (3 * Interval)],
            checker.CallTimes.ToArray());
    }

    [Fact]
    public async Task Overrunning_check_is_followed_at_once_by_a_single_next_check()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentChecks = 1);
        var time = harness.Time;
        var checker = new ScriptedChecker(time);
        var start = time.GetUtcNow();

        // Hold the only concurrency slot so that the first check cannot start for two and a half intervals.
        await harness.Scheduler.Slots.WaitAsync();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => time.HasTimerDueIn(Interval), "the loop's timer exists");
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(0, checker.Calls);
        harness.Scheduler.Slots.Release();

        // The delayed check, then exactly one check for the missed ticks, both at 25 s.
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 2);
        time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 3);
        time.Advance(Interval);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 4);

        var late = start + TimeSpan.FromSeconds(25);
        Assert.Equal(
            [late, late, start + (3 * Interval), start + (4 * Interval)],
            checker.CallTimes.Take(4).ToArray());
    }

    [Fact]
    public async Task Endpoint_configured_at_startup_waits_for_the_initial_delay()
    {
        var time = new TimerTrackingTimeProvider();
        var checker = new ScriptedChecker(time);
        await using var harness = new SchedulerHarness(
            o => o.InitialDelay = TimeSpan.FromSeconds(4),
            b => b.AddChecker("db", "tcp", "db.svc", 5432, critical: true, _ => checker),
            time);
        var start = time.GetUtcNow();
        await harness.StartAsync();

        await Eventually.TrueAsync(() => time.HasTimerDueIn(TimeSpan.FromSeconds(4)), "the initial delay is armed");
        time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(0, checker.Calls);
        time.Advance(TimeSpan.FromSeconds(0.1));

        await harness.WaitForChecksAsync("db", "db.svc", 5432, 1);
        Assert.Equal([start + TimeSpan.FromSeconds(4)], checker.CallTimes.ToArray());
    }

    [Fact]
    public async Task Endpoint_added_at_runtime_is_checked_at_once()
    {
        await using var harness = new SchedulerHarness(o => o.InitialDelay = TimeSpan.FromMinutes(1));
        var checker = new ScriptedChecker(harness.Time);
        await harness.StartAsync();

        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        Assert.Equal([harness.Time.GetUtcNow()], checker.CallTimes.ToArray());
    }
}
