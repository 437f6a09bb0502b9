using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: the scheduler's own cost. 10,000 endpoints with a checker that does nothing; process CPU time, less
/// the CPU time of the same process idling (package started, no endpoints) over the same wall time, per completed check.
/// </summary>
internal static class SchedulerScenario
{
    private const int EndpointCount = 10_000;

    public static async Task<ScenarioResult> RunAsync()
    {
        var idle = await IdleCpuMicrosecondsPerSecondAsync(Bench.Seconds(15, 4));
        var fast = await MeasureAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), Bench.Seconds(60, 8), idle);
        var slow = await MeasureAsync(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), Bench.Seconds(30, 15), idle);
        var met = fast.MicrosecondsPerCheck <= 8 && slow.CorePercent <= 5;
        return new ScenarioResult("scheduler-overhead", fast.MicrosecondsPerCheck, "us/check", "<= 8 us per check; <= 5% of a core at 15 s", met)
            .With("core_percent_at_15s", slow.CorePercent)
            .With("core_percent_at_1s", fast.CorePercent)
            .With("us_per_check_at_15s", slow.MicrosecondsPerCheck)
            .With("checks_per_second_at_1s", fast.ChecksPerSecond)
            .With("checks_per_second_at_15s", slow.ChecksPerSecond)
            .With("idle_core_percent", idle / 1e6 * 100)
            .With("endpoints", EndpointCount)
            .With("window_seconds_at_1s", fast.Seconds)
            .With("window_seconds_at_15s", slow.Seconds)
            .With("gen0_collections_at_1s", fast.Gen0)
            .With("gen2_collections_at_1s", fast.Gen2)
            .With("allocated_bytes_per_check_at_1s", fast.AllocatedPerCheck)
            .With("kernel_percent_of_cpu_at_1s", fast.KernelPercent);
    }

    /// <summary>The package started with no endpoints: heartbeat, runtime and GC background cost, in CPU µs per second.</summary>
    private static async Task<double> IdleCpuMicrosecondsPerSecondAsync(TimeSpan duration)
    {
        await using var fleet = new Fleet(o => { });
        await fleet.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cpu0 = Stats.ProcessCpuMicroseconds();
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(duration);
        var cpu1 = Stats.ProcessCpuMicroseconds();
        return (cpu1 - cpu0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static async Task<Measurement> MeasureAsync(TimeSpan interval, TimeSpan timeout, TimeSpan window, double idleCpuPerSecond)
    {
        await using var fleet = new Fleet(o =>
        {
            o.CheckInterval = interval;
            o.Timeout = timeout;
        });

        // Registered before start, as configured endpoints are: first checks spread over a tenth of the interval.
        for (var i = 0; i < EndpointCount; i++)
        {
            await fleet.Registry.AddAsync(Endpoints.Spec(i, NoopChecker.Factory));
        }

        await fleet.StartAsync();
        await Endpoints.WaitUntilAsync(() => Endpoints.WithResult(fleet.Store) == EndpointCount, TimeSpan.FromSeconds(30), "every endpoint is checked");

        // Let tiered JIT settle on the hot path before measuring.
        await Task.Delay(Bench.Seconds(5, 2));
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated0 = GC.GetTotalAllocatedBytes(precise: false);
        var checks0 = Endpoints.TotalChecks(fleet.Store);
        var kernel0 = Stats.ProcessKernelCpuMicroseconds();
        var cpu0 = Stats.ProcessCpuMicroseconds();
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        var cpu1 = Stats.ProcessCpuMicroseconds();
        var kernel = Stats.ProcessKernelCpuMicroseconds() - kernel0;
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var checks = Endpoints.TotalChecks(fleet.Store) - checks0;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated0;
        var net = cpu1 - cpu0 - idleCpuPerSecond * seconds;
        return new Measurement(
            net / Math.Max(1, checks),
            net / seconds / 1e6 * 100,
            checks / seconds,
            seconds,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(2) - gen2,
            allocated / (double)Math.Max(1, checks),
            kernel * 100 / (cpu1 - cpu0));
    }

    private sealed record Measurement(double MicrosecondsPerCheck, double CorePercent, double ChecksPerSecond, double Seconds, int Gen0, int Gen2, double AllocatedPerCheck, double KernelPercent);
}
