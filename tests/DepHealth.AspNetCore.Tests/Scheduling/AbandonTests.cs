using DepHealth.AspNetCore.Scheduling;

namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>
/// Only a call still running a grace period after its timeout is abandoned (event 1005, counted in flight and as
/// abandoned); one that ends soon after its token is cancelled is just a timeout.
/// </summary>
[Trait("Category", "unit")]
public sealed class AbandonTests
{
    private const int AbandonedEvent = 1005;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Checker_honouring_cancellation_shortly_after_its_timeout_is_a_timeout_and_not_abandoned()
    {
        await using var harness = new SchedulerHarness();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unwound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checker = new ScriptedChecker(harness.Time).Then(async ct =>
        {
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Like a client closing its socket: it takes a moment after the cancellation to end.
                cancelled.TrySetResult();
                await unwound.Task;
                throw;
            }
        });
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, harness.Statistics.InFlight);
        harness.Time.Advance(TimeSpan.FromMilliseconds(5));
        unwound.SetResult();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0, "the cancelled call ended");
        harness.Time.Advance(EndpointLoop.AbandonGrace);

        var state = harness.State("api", "127.0.0.1", 8080);
        Assert.Equal(("timeout", Timeout.TotalSeconds), (state.Detail, state.LatencySeconds));
        Assert.Equal(0, harness.Statistics.Abandoned);
        Assert.Empty(harness.Logs.WithEventId(AbandonedEvent));
    }

    [Fact]
    public async Task Checker_still_running_after_the_grace_is_abandoned_once_and_counted_until_it_ends()
    {
        await using var harness = new SchedulerHarness();
        var hang = new TaskCompletionSource();
        var checker = new ScriptedChecker(harness.Time).Then(_ => new ValueTask(hang.Task));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");
        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        // Within the grace the call is in flight but not abandoned.
        harness.Time.Advance(EndpointLoop.AbandonGrace - TimeSpan.FromMilliseconds(1));
        Assert.Equal((1, 0), (harness.Statistics.InFlight, harness.Statistics.Abandoned));
        Assert.Empty(harness.Logs.WithEventId(AbandonedEvent));

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => harness.Statistics.Abandoned == 1, "the call is abandoned");
        Assert.Contains("app_dependency_checks_in_flight 1\n", harness.RenderMetrics(), StringComparison.Ordinal);

        // The next check waits for it and records a timeout without abandoning it again.
        harness.Time.Advance(TimeSpan.FromSeconds(10) - Timeout - EndpointLoop.AbandonGrace);
        await Eventually.TrueAsync(() => harness.Time.HasTimerDueIn(Timeout), "the wait for the previous call is armed");
        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 2);
        var abandoned = Assert.Single(harness.Logs.WithEventId(AbandonedEvent));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, abandoned.Level);
        Assert.Contains("api:127.0.0.1:8080", abandoned.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Statistics.Abandoned);

        hang.SetResult();
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0 && harness.Statistics.Abandoned == 0, "the abandoned call is uncounted");
        Assert.Contains("app_dependency_checks_in_flight 0\n", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.Single(harness.Logs.WithEventId(AbandonedEvent));
    }
}
