using DepHealth.AspNetCore.Scheduling;

namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>Loops due at the same moments share one timer, so their checks start in one wake-up (docs/design.md, "Cadences").</summary>
[Trait("Category", "unit")]
public sealed class CadenceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Endpoints_configured_with_one_interval_share_one_timer()
    {
        var time = new TimerTrackingTimeProvider();
        var checkers = Enumerable.Range(0, 3).Select(_ => new ScriptedChecker(time)).ToArray();
        await using var harness = new SchedulerHarness(
            dependencies: b =>
            {
                for (var i = 0; i < checkers.Length; i++)
                {
                    var checker = checkers[i];
                    b.AddChecker($"db{i}", "tcp", "db.svc", 5432, critical: true, _ => checker);
                }
            },
            time: time);
        var start = harness.Time.GetUtcNow();
        await harness.StartAsync();

        await Eventually.TrueAsync(() => checkers.All(c => c.Calls == 1), "every first check started");
        Assert.Equal((3, 1), (harness.Scheduler.LoopCount, harness.Scheduler.CadenceCount));
        harness.Time.Advance(Interval);
        await Eventually.TrueAsync(() => checkers.All(c => c.Calls == 2), "every second check started");
        Assert.All(checkers, c => Assert.Equal([start, start + Interval], c.CallTimes.ToArray()));
    }

    [Fact]
    public async Task Endpoints_with_different_intervals_have_timers_of_their_own()
    {
        await using var harness = new SchedulerHarness(dependencies: b => b
            .AddChecker("db", "tcp", "db.svc", 5432, critical: true, _ => new ScriptedChecker(TimeProvider.System))
            .AddChecker("cache", "tcp", "cache.svc", 6379, critical: true, _ => new ScriptedChecker(TimeProvider.System), o => o.CheckInterval = TimeSpan.FromSeconds(20)));
        await harness.StartAsync();

        await Eventually.TrueAsync(() => harness.Scheduler.LoopCount == 2, "both loops started");
        Assert.Equal(2, harness.Scheduler.CadenceCount);
    }

    [Fact]
    public async Task Endpoints_added_at_the_same_moment_share_a_timer_and_are_checked_at_once()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var first = new ScriptedChecker(harness.Time);
        var second = new ScriptedChecker(harness.Time);

        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: first));
        await harness.Registry.AddAsync(SchedulerHarness.Spec(port: 8081, checker: second));

        await Eventually.TrueAsync(() => first.Calls == 1 && second.Calls == 1, "both checked at once");
        Assert.Equal(1, harness.Scheduler.CadenceCount);
    }

    [Fact]
    public async Task A_hung_check_does_not_delay_the_others_of_its_timer()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var hung = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(new TaskCompletionSource().Task));
        var healthy = new ScriptedChecker(harness.Time);
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: hung));
        await harness.Registry.AddAsync(SchedulerHarness.Spec(port: 8081, checker: healthy));
        await Eventually.TrueAsync(() => hung.Calls == 1 && healthy.Calls == 1, "both first checks started");

        harness.Time.Advance(Interval);

        await Eventually.TrueAsync(() => healthy.Calls == 2, "the healthy endpoint's second check started on time");
        Assert.Equal(1, harness.Scheduler.CadenceCount);
    }

    [Fact]
    public async Task The_last_loop_to_leave_stops_its_timer()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var spec = SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time));
        await harness.Registry.AddAsync(spec);
        await Eventually.TrueAsync(() => harness.Scheduler.CadenceCount == 1, "the loop has a timer");

        await harness.Registry.RemoveAsync("api", "127.0.0.1", 8080);

        await Eventually.TrueAsync(() => harness.Scheduler.CadenceCount == 0, "the timer is gone with its last loop");
        Assert.False(harness.Time.HasTimerDueIn(Interval), "no timer left for the interval");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Up_to_a_batch_of_endpoints_share_the_first_tick(int count) =>
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(TimeSpan.Zero, FirstCheckPhases.Offset(i, count, Interval, spread: true)));

    [Fact]
    public void More_than_a_batch_are_spread_in_even_batches_over_a_tenth_of_the_interval()
    {
        var offsets = Enumerable.Range(0, 200).Select(i => FirstCheckPhases.Offset(i, 200, Interval, spread: true)).ToArray();

        // 200 endpoints: 4 batches of 50, at 0, 0.25, 0.5 and 0.75 s of the 1 s window.
        Assert.Equal(
            [(0.0, 50), (0.25, 50), (0.5, 50), (0.75, 50)],
            offsets.GroupBy(o => o.TotalSeconds).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToArray());
    }

    [Fact]
    public void The_spread_window_is_at_most_a_second()
    {
        var last = FirstCheckPhases.Offset(1, 2 * FirstCheckPhases.BatchSize, TimeSpan.FromMinutes(10), spread: true);

        Assert.Equal(TimeSpan.FromSeconds(0.5), last);
    }

    [Fact]
    public void Without_spreading_every_endpoint_shares_the_first_tick() =>
        Assert.Equal(TimeSpan.Zero, FirstCheckPhases.Offset(199, 200, Interval, spread: false));
}
