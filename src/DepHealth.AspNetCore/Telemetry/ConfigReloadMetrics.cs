using System.Diagnostics.Metrics;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Telemetry;

/// <summary>
/// Counts configuration reloads by result and observes their duration, for
/// <c>app_dependency_config_reloads_total{result}</c> and <c>app_dependency_config_reload_duration_seconds</c>. The
/// meter's <c>app_dependency_config_reloads</c> observes the same counts.
/// </summary>
internal sealed class ConfigReloadMetrics
{
    public const string Success = "success";
    public const string Failure = "failure";

    private readonly Lock _gate = new();
    private readonly long[] _buckets = new long[LatencyBuckets.Labels.Length];
    private static readonly KeyValuePair<string, object?> SuccessTag = new("result", Success);
    private static readonly KeyValuePair<string, object?> FailureTag = new("result", Failure);
    private readonly Histogram<double> _duration;
    private long _successes;
    private long _failures;
    private double _sum;
    private long _count;

    public ConfigReloadMetrics(DependencyHealthMeter meter)
    {
        _duration = meter.ConfigReloadDuration;
        meter.Meter.CreateObservableCounter(
            "app_dependency_config_reloads",
            () => new[] { new Measurement<long>(Successes, SuccessTag), new Measurement<long>(Failures, FailureTag) },
            description: "Configuration reloads of the monitored dependencies, by result");
    }

    public long Successes => Interlocked.Read(ref _successes);

    public long Failures => Interlocked.Read(ref _failures);

    public void Record(bool success, double seconds)
    {
        Interlocked.Increment(ref success ? ref _successes : ref _failures);
        lock (_gate)
        {
            _buckets[LatencyBuckets.IndexOf(seconds)]++;
            _sum += seconds;
            _count++;
        }

        _duration.Record(seconds, success ? SuccessTag : FailureTag);
    }

    /// <summary>Cumulative bucket counts, the sum and the count, read together.</summary>
    public (long[] Cumulative, double Sum, long Count) ReadDuration()
    {
        var cumulative = new long[_buckets.Length];
        lock (_gate)
        {
            long running = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }

            return (cumulative, _sum, _count);
        }
    }
}
