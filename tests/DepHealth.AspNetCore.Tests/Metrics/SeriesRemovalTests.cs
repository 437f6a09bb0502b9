
namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>Removing an endpoint removes all its series; a check in flight at that moment never writes them back.</summary>
[Trait("Category", "unit")]
public sealed class SeriesRemovalTests
{
    [Fact]
    public async Task Removed_endpoint_has_no_series_in_any_family()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("gone", checker: new ScriptedChecker(harness.Time)));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("kept", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("gone", "127.0.0.1", 8080, 1);
        await harness.WaitForChecksAsync("kept", "127.0.0.1", 8080, 1);
        Assert.Contains("dependency=\"gone\"", harness.RenderMetrics(), StringComparison.Ordinal);

        await harness.Registry.RemoveAsync("gone", "127.0.0.1", 8080);

        var text = harness.RenderMetrics();
        Assert.DoesNotContain("dependency=\"gone\"", text, StringComparison.Ordinal);
        Assert.Contains("app_dependency_health{name=\"app\",group=\"team\",dependency=\"kept\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_in_flight_at_removal_never_brings_the_series_back()
    {
        await using var harness = new SchedulerHarness();
        var inFlight = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        var checker = new ScriptedChecker(harness.Time).ThenSucceed().Then(async _ =>
        {
            inFlight.TrySetResult();

            // Ignores cancellation, and completes only after the endpoint was removed.
            await finish.Task;
        });
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("racy", checker: checker));
        await harness.WaitForChecksAsync("racy", "127.0.0.1", 8080, 1);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(harness.Store.TryGet(new EndpointKey("racy", "127.0.0.1", 8080), out var entry));

        await harness.Registry.RemoveAsync("racy", "127.0.0.1", 8080);
        finish.SetResult();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0, "the late call completed");

        // Even a direct late write into the removed generation is dropped.
        entry.Record(CheckDetails.Ok, 0.001, harness.Time.GetUtcNow(), out var written);
        Assert.False(written);
        Assert.DoesNotContain("dependency=\"racy\"", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Statistics.RunningLoops);
    }

    [Fact]
    public async Task Re_added_endpoint_starts_with_no_series_until_its_first_check()
    {
        await using var harness = new SchedulerHarness();
        var gate = new TaskCompletionSource();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("again", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("again", "127.0.0.1", 8080, 1);
        await harness.Registry.RemoveAsync("again", "127.0.0.1", 8080);

        var slow = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(gate.Task));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("again", checker: slow));
        await Eventually.TrueAsync(() => slow.Calls == 1, "the new generation's first check started");

        Assert.DoesNotContain("dependency=\"again\"", harness.RenderMetrics(), StringComparison.Ordinal);
        gate.SetResult();
        await harness.WaitForChecksAsync("again", "127.0.0.1", 8080, 1);
        Assert.Equal(1, harness.State("again", "127.0.0.1", 8080).CheckCount);
    }
}
