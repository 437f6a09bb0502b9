
namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>Shutdown cancels every loop and check, returns within the host's timeout, and keeps the last values.</summary>
[Trait("Category", "unit")]
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_returns_while_checks_hang_ignoring_cancellation_and_keeps_last_values()
    {
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentChecks = 1000);
        var never = new TaskCompletionSource();
        var checkers = Enumerable.Range(0, 200)
            .Select(_ => new ScriptedChecker(harness.Time).ThenSucceed().Then(_ => new ValueTask(never.Task)))
            .ToArray();
        await harness.StartAsync();
        for (var i = 0; i < checkers.Length; i++)
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{i}", checker: checkers[i]));
        }

        await Eventually.TrueAsync(() => checkers.All(c => c.Calls == 1), "every endpoint was checked once");
        await Eventually.TrueAsync(() => harness.Store.Sorted().All(e => e.Read().CheckCount == 1), "every first result was recorded");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => checkers.All(c => c.Calls == 2), "every second check hangs");
        var before = harness.RenderMetrics();

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await harness.StopAsync(shutdownTimeout.Token);

        Assert.False(shutdownTimeout.IsCancellationRequested, "StopAsync returned before the shutdown timeout");
        Assert.Equal(0, harness.Statistics.RunningLoops);
        Assert.Equal(before, harness.RenderMetrics());
        Assert.Contains("app_dependency_health{name=\"app\",group=\"team\",dependency=\"dep-0\",type=\"tcp\",host=\"127.0.0.1\",port=\"8080\",critical=\"yes\"} 1", before, StringComparison.Ordinal);
        never.SetResult();
    }

    [Fact]
    public async Task Stop_is_idempotent_and_safe_after_the_container_disposed_the_scheduler()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time)));

        // The order WebApplicationFactory may use: the container first, then the host's stop, then both again.
        await harness.Scheduler.DisposeAsync();
        await harness.StopAsync();
        await Task.WhenAll(harness.Scheduler.StopAsync(CancellationToken.None), harness.Scheduler.StopAsync(CancellationToken.None));

        Assert.Equal(0, harness.Statistics.RunningLoops);
        Assert.False(harness.Statistics.IsRunning);
    }
}
