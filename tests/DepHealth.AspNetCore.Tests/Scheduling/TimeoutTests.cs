using DepHealth.AspNetCore.Scheduling;

namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>A check is a timeout at its timeout, whatever its checker does; a checker that ignores cancellation never delays anything else.</summary>
[Trait("Category", "unit")]
public sealed class TimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Checker_ignoring_cancellation_is_recorded_as_timeout_at_the_timeout()
    {
        await using var harness = new SchedulerHarness();
        var hang = new TaskCompletionSource();
        var checker = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(hang.Task));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        var state = harness.State("api", "127.0.0.1", 8080);
        Assert.Equal("timeout", state.Status);
        Assert.Equal("timeout", state.Detail);
        Assert.Equal(Timeout.TotalSeconds, state.LatencySeconds);
        hang.SetResult();
    }

    [Fact]
    public async Task Abandoned_check_is_not_called_again_while_it_still_runs()
    {
        await using var harness = new SchedulerHarness();
        var hang = new TaskCompletionSource();
        var checker = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(hang.Task)).ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");
        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        // Next tick: the previous call still runs, so the check waits one timeout for it and records a timeout.
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => harness.Time.HasTimerDueIn(Timeout), "the wait for the previous call is armed");
        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 2);
        Assert.Equal(1, checker.Calls);
        Assert.Equal("timeout", harness.State("api", "127.0.0.1", 8080).Detail);
        Assert.Equal(1, harness.Statistics.InFlight);

        // Once the abandoned call finishes, the next tick calls the checker again.
        hang.SetResult();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0 && harness.Statistics.Abandoned == 0, "the abandoned call is accounted for");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 3);
        Assert.Equal(2, checker.Calls);
        Assert.Equal("ok", harness.State("api", "127.0.0.1", 8080).Detail);
    }

    [Fact]
    public async Task Hung_checker_does_not_delay_another_endpoints_schedule()
    {
        await using var harness = new SchedulerHarness();
        var hung = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(new TaskCompletionSource().Task));
        var healthy = new ScriptedChecker(harness.Time);
        var start = harness.Time.GetUtcNow();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("hung", checker: hung));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("healthy", checker: healthy));
        await Eventually.TrueAsync(() => hung.Calls == 1 && healthy.Calls == 1, "both checked once");

        for (var tick = 1; tick <= 3; tick++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            harness.Time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => healthy.Calls == tick + 1, $"healthy endpoint checked at tick {tick}");
        }

        Assert.Equal(
            [start, start.AddSeconds(10), start.AddSeconds(20), start.AddSeconds(30)],
            healthy.CallTimes.ToArray());
    }

    [Fact]
    public async Task Checker_that_blocks_synchronously_is_still_a_timeout_at_the_timeout()
    {
        await using var harness = new SchedulerHarness();
        using var release = new ManualResetEventSlim();
        var checker = new ScriptedChecker(harness.Time).Then(_ =>
        {
            release.Wait(CancellationToken.None);
            return ValueTask.CompletedTask;
        });
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 1 && harness.Time.HasTimerDueIn(Timeout), "the blocking call and its timeout are running");

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        Assert.Equal("timeout", harness.State("api", "127.0.0.1", 8080).Detail);
        release.Set();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0, "the blocked call finished");
    }

    [Fact]
    public async Task Checker_that_blocks_then_returns_a_task_counts_as_running_until_that_task_ends()
    {
        await using var harness = new SchedulerHarness();
        using var release = new ManualResetEventSlim();
        var rest = new TaskCompletionSource();
        var checker = new ScriptedChecker(harness.Time).Then(_ =>
        {
            release.Wait(CancellationToken.None);
            return new ValueTask(rest.Task);
        }).ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 1 && harness.Time.HasTimerDueIn(Timeout), "the blocking call and its timeout are running");
        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        // The synchronous part returns after the timeout with a task still running: the call is still in flight.
        release.Set();
        await Eventually.TrueAsync(() => checker.Calls == 1, "the synchronous part returned");
        Assert.Equal(1, harness.Statistics.InFlight);
        harness.Time.Advance(EndpointLoop.AbandonGrace);
        await Eventually.TrueAsync(() => harness.Statistics.Abandoned == 1, "the call is abandoned");
        Assert.Equal(1, harness.Statistics.InFlight);

        rest.SetResult();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0 && harness.Statistics.Abandoned == 0, "the abandoned call is accounted for");
        harness.Time.Advance(TimeSpan.FromSeconds(10) - Timeout - EndpointLoop.AbandonGrace);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 2);
        Assert.Equal(2, checker.Calls);
        Assert.Equal("ok", harness.State("api", "127.0.0.1", 8080).Detail);
    }

    [Fact]
    public async Task Checker_that_throws_synchronously_is_a_failed_check()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).ThenThrow(new InvalidOperationException("boom"));
        await harness.StartAsync();

        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        var state = harness.State("api", "127.0.0.1", 8080);
        Assert.Equal("error", state.Detail);
        Assert.Equal(DepHealth.AspNetCore.State.HealthState.Unhealthy, state.Health);
    }

    [Fact]
    public async Task Timeout_is_distinguished_from_shutdown()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).Then(ct => new ValueTask(Task.Delay(System.Threading.Timeout.Infinite, ct)));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");

        await harness.StopAsync();

        // Shutdown cancelled the check: nothing was recorded, and the loop exited.
        Assert.Equal(0, harness.State("api", "127.0.0.1", 8080).CheckCount);
        Assert.Equal(0, harness.Statistics.RunningLoops);
    }
}
