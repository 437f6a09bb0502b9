
namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>MaxConcurrentChecks bounds checks in flight across the process; endpoints are checked in parallel up to it.</summary>
[Trait("Category", "unit")]
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Checks_in_flight_never_exceed_MaxConcurrentChecks_and_reach_it()
    {
        const int bound = 3;
        const int endpoints = 12;
        await using var harness = new SchedulerHarness(o => o.MaxConcurrentChecks = bound);
        using var permits = new SemaphoreSlim(0);
        var current = 0;
        var max = 0;
        var completed = 0;
        var checker = new ScriptedChecker(harness.Time).Then(async ct =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref max, now);
            await permits.WaitAsync(ct);
            Interlocked.Decrement(ref current);
            Interlocked.Increment(ref completed);
        });
        await harness.StartAsync();
        for (var i = 0; i < endpoints; i++)
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{i}", checker: checker));
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref current) == bound, "the bound is reached");
        for (var released = 1; released <= endpoints; released++)
        {
            permits.Release();
            await Eventually.TrueAsync(() => Volatile.Read(ref completed) == released, $"{released} checks completed");
            Assert.InRange(Volatile.Read(ref max), 1, bound);
        }

        // A check that finds its permit already released completes inside the call, before the checker counts the call.
        await Eventually.TrueAsync(() => checker.Calls >= endpoints, "every call is counted");
        Assert.Equal(bound, max);
        Assert.Equal(endpoints, checker.Calls);
    }

    [Fact]
    public async Task Endpoints_of_the_same_dependency_are_checked_in_parallel()
    {
        await using var harness = new SchedulerHarness();
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var checker = new ScriptedChecker(harness.Time).Then(async ct =>
        {
            if (Interlocked.Increment(ref running) == 2)
            {
                bothRunning.TrySetResult();
            }

            await bothRunning.Task.WaitAsync(ct);
        });
        await harness.StartAsync();

        await harness.Registry.AddAsync(SchedulerHarness.Spec("db", "db-0", checker: checker));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("db", "db-1", checker: checker));

        // Each check only finishes once the other has started: sequential checking would never complete.
        await harness.WaitForChecksAsync("db", "db-0", 8080, 1);
        await harness.WaitForChecksAsync("db", "db-1", 8080, 1);
        Assert.Equal("ok", harness.State("db", "db-0", 8080).Detail);
        Assert.Equal("ok", harness.State("db", "db-1", 8080).Detail);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
