using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>Scenario 4: 1,000 endpoints whose checks take 200 ms each, under MaxConcurrentChecks 1,000 and 100.</summary>
internal static class ConcurrencyScenario
{
    private const int EndpointCount = 1_000;

    public static async Task<ScenarioResult> RunAsync()
    {
        var wide = await MeasureAsync(1_000);
        var narrow = await MeasureAsync(100);
        var worst = Math.Max(wide.MaxInFlight / 1_000.0, narrow.MaxInFlight / 100.0);
        return new ScenarioResult("concurrency", worst, "of bound", "most in flight / bound <= 1", worst <= 1)
            .With("checks_per_second_bound_1000", wide.ChecksPerSecond)
            .With("checks_per_second_bound_100", narrow.ChecksPerSecond)
            .With("max_in_flight_bound_1000", wide.MaxInFlight)
            .With("max_in_flight_bound_100", narrow.MaxInFlight)
            .With("ideal_checks_per_second_bound_1000", 1000.0)
            .With("ideal_checks_per_second_bound_100", 100 / 0.2)
            .With("window_seconds", wide.Seconds);
    }

    private static async Task<Measurement> MeasureAsync(int bound)
    {
        var checker = new SlowChecker(TimeSpan.FromMilliseconds(200));
        await using var fleet = new Fleet(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromMilliseconds(500);
            o.MaxConcurrentChecks = bound;
        });
        for (var i = 0; i < EndpointCount; i++)
        {
            await fleet.Registry.AddAsync(Endpoints.Spec(i, _ => checker));
        }

        await fleet.StartAsync();
        await Task.Delay(Bench.Seconds(3, 2));
        var completed0 = checker.Completed;
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(Bench.Seconds(10, 3));
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return new Measurement((checker.Completed - completed0) / seconds, checker.MaxInFlight, seconds);
    }

    private sealed record Measurement(double ChecksPerSecond, int MaxInFlight, double Seconds);

    /// <summary>Takes a fixed time, honouring cancellation; counts calls in flight and the most ever seen at once.</summary>
    private sealed class SlowChecker(TimeSpan duration) : IDependencyChecker
    {
        private int _inFlight;
        private int _maxInFlight;
        private long _completed;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public long Completed => Interlocked.Read(ref _completed);

        public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(duration, cancellationToken);
                Interlocked.Increment(ref _completed);
                return CheckResult.Healthy;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
