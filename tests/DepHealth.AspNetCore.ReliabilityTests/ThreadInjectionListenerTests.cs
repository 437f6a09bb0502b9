using DepHealth.AspNetCore.LoadTesting;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// The load test's starvation check counts on <see cref="ThreadInjectionListener"/> seeing the runtime's events: this
/// proves it does, by starving the pool on purpose (it runs alone, as the load test does).
/// </summary>
[Trait("Category", "unit")]
[Collection(MemorySensitive.Name)]
public sealed class ThreadInjectionListenerTests
{
    [Fact]
    public async Task Counts_a_starvation_adjustment_when_every_worker_is_blocked_and_work_is_still_queued()
    {
        using var listener = new ThreadInjectionListener();
        listener.Reset();
        using var release = new ManualResetEventSlim();
        var blockers = StarvePool(release);
        try
        {
            // Polled on this thread rather than awaited: a continuation would wait in the starved queue too.
            var seen = SpinWait.SpinUntil(() => listener.Starvation > 0, TimeSpan.FromSeconds(60));
            Assert.True(seen, $"no starvation adjustment within 60 s; adjustments seen: {listener.Summary}");
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers);
        }
    }

    [Fact]
    public async Task Counts_nothing_before_it_is_reset()
    {
        using var listener = new ThreadInjectionListener();
        using var release = new ManualResetEventSlim();
        var blockers = StarvePool(release);
        using var witness = new ThreadInjectionListener();
        witness.Reset();
        try
        {
            Assert.True(SpinWait.SpinUntil(() => witness.Starvation > 0, TimeSpan.FromSeconds(60)), $"the witness saw no starvation: {witness.Summary}");
            Assert.Equal(0, listener.Starvation);
            Assert.Equal("none", listener.Summary);
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers);
        }
    }

    /// <summary>More blocked work items than the pool has workers: the rest wait in the queue until the pool adds threads.</summary>
    private static Task[] StarvePool(ManualResetEventSlim release) =>
        Enumerable.Range(0, ThreadPool.ThreadCount + 2)
            .Select(_ => Task.Factory.StartNew(release.Wait, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default))
            .ToArray();
}
