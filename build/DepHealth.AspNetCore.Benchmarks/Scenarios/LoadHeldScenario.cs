using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.LoadTesting;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 10 (issue 7, "load held"): 10,000 endpoints checked every 10 s, <c>/metrics</c> scraped 10 times a second and
/// <c>/health/ready</c> probed 1,000 times a second for 60 s over real loopback sockets, from the out-of-process open-loop
/// driver the reliability suite uses (latency from the scheduled send time, so a stall is never hidden by the driver
/// waiting for it). The probe p99 target is measured here and not in the CI test: it is a speed target, and a shared CI
/// machine's other processes decide it as much as the package does. The reliability test asserts what holds on any
/// machine (no errors, no starvation, memory flat); this scenario asserts those and the 10 ms.
/// </summary>
internal static class LoadHeldScenario
{
    private const int EndpointCount = 10_000;
    private const double ProbesPerSecond = 1_000;
    private const double ScrapesPerSecond = 10;
    private const double P99TargetMs = 10;

    public static async Task<ScenarioResult> RunAsync()
    {
        var warmUp = Bench.Seconds(10, 4);
        var window = Bench.Seconds(60, 10);
        await using var app = await BenchApp.StartOursAsync(o => o.CheckInterval = TimeSpan.FromSeconds(10));
        var registry = app.Services.GetRequiredService<IEndpointRegistry>();
        for (var i = 0; i < EndpointCount; i++)
        {
            await registry.AddAsync(Endpoints.Spec(i, NoopChecker.Factory));
        }

        var deadline = Stopwatch.GetTimestamp() + (120 * Stopwatch.Frequency);
        while (Endpoints.WithResult(app.Store) < EndpointCount)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"only {Endpoints.WithResult(app.Store)} of {EndpointCount} endpoints were checked within 120 s");
            }

            await Task.Delay(50);
        }

        var shape = ScrapeShape.Of(app.Exposition.Render);
        await using var driver = LoadDriverProcess.StartProbesAndScrapes(app.BaseUri.ToString(), shape, ProbesPerSecond, ScrapesPerSecond, warmUp, window);
        var (warm, _) = await driver.ReadSummaryAsync("warm-up", warmUp + TimeSpan.FromSeconds(120));

        var memoryBefore = await Stats.SettledManagedMemoryAsync();
        var checksBefore = CheckCounts(app);
        var cpuBefore = Stats.ProcessCpuMicroseconds();
        using var sampler = new RuntimeSampler(() => app.Statistics.LastHeartbeat);
        using var injections = new ThreadInjectionListener();
        injections.Reset();
        sampler.Start();

        await driver.GoAsync();
        var (summary, _) = await driver.ReadSummaryAsync("measured", window + TimeSpan.FromSeconds(120));
        var exitCode = await driver.WaitForExitAsync(TimeSpan.FromSeconds(30));
        sampler.Stop();
        injections.Stop();
        var cpuMs = (Stats.ProcessCpuMicroseconds() - cpuBefore) / 1000;
        var checksAfter = CheckCounts(app);
        var checkDeltas = checksBefore.Select(b => checksAfter[b.Key] - b.Value).ToList();
        var memoryAfter = await Stats.SettledManagedMemoryAsync();

        var probe = summary.GetProperty("probe");
        var scrape = summary.GetProperty("scrape");
        var latency = probe.GetProperty("latency_from_scheduled_ms");
        var p99 = latency.GetProperty("p99").GetDouble();
        var errors = probe.GetProperty("errors").GetInt32() + scrape.GetProperty("errors").GetInt32()
            + warm.GetProperty("probe").GetProperty("errors").GetInt32() + warm.GetProperty("scrape").GetProperty("errors").GetInt32();
        var memoryFlat = FlatMemory.Holds(memoryBefore, memoryAfter);
        var met = exitCode == 0 && p99 < P99TargetMs && errors == 0 && injections.Starvation == 0 && memoryFlat
            && probe.GetProperty("achieved_rate").GetDouble() >= ProbesPerSecond * 0.95
            && scrape.GetProperty("achieved_rate").GetDouble() >= ScrapesPerSecond * 0.95
            && checkDeltas.Min() >= 1;

        return new ScenarioResult(
                "load-held",
                p99,
                "ms probe p99",
                $"probe p99 < {P99TargetMs} ms from the scheduled send; 0 errors; no thread-pool starvation; memory within 5% + 4 MB",
                met)
            .With("window_s", window.TotalSeconds)
            .With("probes_completed", probe.GetProperty("completed").GetInt32())
            .With("probe_p50_ms", latency.GetProperty("p50").GetDouble())
            .With("probe_p999_ms", latency.GetProperty("p999").GetDouble())
            .With("probe_max_ms", latency.GetProperty("max").GetDouble())
            .With("probe_worst_ms_per_second", probe.GetProperty("worst_ms_per_second").ToString())
            .With("scrapes_completed", scrape.GetProperty("completed").GetInt32())
            .With("scrape_mb", scrape.GetProperty("bytes_mean").GetDouble() / 1e6)
            .With("scrape_p50_ms", scrape.GetProperty("latency_from_scheduled_ms").GetProperty("p50").GetDouble())
            .With("scrape_p99_ms", scrape.GetProperty("latency_from_scheduled_ms").GetProperty("p99").GetDouble())
            .With("errors", errors)
            .With("starvation_adjustments", injections.Starvation)
            .With("thread_adjustments", injections.Summary)
            .With("pool_queue_max", sampler.MaxPendingWorkItems)
            .With("pool_threads_max", sampler.MaxThreads)
            .With("heartbeat_max_age_ms", sampler.MaxTimestampAgeMs)
            .With("checks_per_second", checkDeltas.Sum() / window.TotalSeconds)
            .With("checks_per_endpoint_min", checkDeltas.Min())
            .With("checks_per_endpoint_max", checkDeltas.Max())
            .With("server_cpu_percent_of_core", cpuMs / window.TotalMilliseconds * 100)
            .With("driver_cpu_percent_of_core", summary.GetProperty("driver_cpu_ms").GetDouble() / window.TotalMilliseconds * 100)
            .With("memory_before_bytes", memoryBefore)
            .With("memory_drift_percent", (memoryAfter - memoryBefore) * 100.0 / memoryBefore)
            .With("load_average_after", MachineLoad.Average());
    }

    private static Dictionary<string, long> CheckCounts(BenchApp app) =>
        app.Store.Sorted().ToDictionary(e => e.KeyText, e => e.Read().CheckCount, StringComparer.Ordinal);
}
