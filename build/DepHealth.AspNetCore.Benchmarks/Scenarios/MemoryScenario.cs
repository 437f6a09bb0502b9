using DepHealth.AspNetCore.Benchmarks.Infrastructure;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: live managed memory per endpoint with 10,000 endpoints after minutes of checks at a 1 s interval.
/// Everything the package keeps per endpoint is counted: spec, labels, state, histogram, loop, timer, checker state.
/// </summary>
/// <remarks>
/// Each endpoint's bounded history (the default 120 results) lives in its state entry and is included; after five minutes
/// at a 1 s interval every ring is full.
/// </remarks>
internal static class MemoryScenario
{
    private const int EndpointCount = 10_000;
    private const bool HistoryIncluded = true;

    public static async Task<ScenarioResult> RunAsync()
    {
        var duration = Bench.Seconds(300, 10);
        await using var fleet = new Fleet(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });
        var before = Stats.ManagedMemory();

        // Registered before the scheduler starts: first what the registry and the store keep, then what the running
        // loops add.
        for (var i = 0; i < EndpointCount; i++)
        {
            await fleet.Registry.AddAsync(Endpoints.Spec(i, NoopChecker.Factory));
        }

        var registered = Stats.ManagedMemory();
        await fleet.StartAsync();
        await Endpoints.WaitUntilAsync(() => Endpoints.WithResult(fleet.Store) == EndpointCount, TimeSpan.FromSeconds(30), "every endpoint is checked");
        var running = Stats.ManagedMemory();
        await Task.Delay(duration);
        var checks = Endpoints.TotalChecks(fleet.Store);
        var after = Stats.ManagedMemory();
        var perEndpoint = (after - before) / (double)EndpointCount;
        return new ScenarioResult("memory", perEndpoint, "bytes/endpoint", "<= 4096 bytes per endpoint", perEndpoint <= 4096)
            .With("registry_and_state_bytes_per_endpoint", (registered - before) / (double)EndpointCount)
            .With("loop_bytes_per_endpoint", (running - registered) / (double)EndpointCount)
            .With("bytes_per_endpoint_after_first_check", (running - before) / (double)EndpointCount)
            .With("managed_bytes_before", before)
            .With("managed_bytes_after", after)
            .With("minutes_of_checks", duration.TotalMinutes)
            .With("checks_per_endpoint", checks / (double)EndpointCount)
            .With("history_included", HistoryIncluded);
    }
}
