using System.Diagnostics.Metrics;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Counts configuration reloads by result and observes their duration, for
/// <c>app_dependency_config_reloads_total{result}</c> and <c>app_dependency_config_reload_duration_seconds</c>.
/// </summary>
internal sealed class ConfigReloadMetrics
{
    public const string Success = "success";
    public const string Failure = "failure";

    private readonly Lock _gate = new();
    private readonly long[] _buckets = new long[LatencyBuckets.Labels.Length];
    private readonly Counter<long> _reloads;
    private readonly Histogram<double> _duration;
    private long _successes;
    private long _failures;
    private double _sum;
    private long _count;

    public ConfigReloadMetrics(DependencyHealthMeter meter)
    {
        _reloads = meter.ConfigReloads;
        _duration = meter.ConfigReloadDuration;
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

        var result = new KeyValuePair<string, object?>("result", success ? Success : Failure);
        _reloads.Add(1, result);
        _duration.Record(seconds, result);
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
