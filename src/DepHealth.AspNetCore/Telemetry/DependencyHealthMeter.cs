using System.Diagnostics.Metrics;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Telemetry;

/// <summary>
/// The contract's measurements as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <c>DepHealth.AspNetCore</c>, for OpenTelemetry (<c>AddMeter("DepHealth.AspNetCore")</c>). Gauges are observed
/// from the state store, so removed endpoints stop being reported. The registry and reload counters observe the counts
/// that the text exposition prints (<see cref="RegistryChangeCounter"/>, <see cref="ConfigReloadMetrics"/>).
/// </summary>
internal sealed class DependencyHealthMeter
{
    public const string MeterName = DependencyHealthMetrics.MeterName;

    private readonly Histogram<double> _latency;

    public DependencyHealthMeter(IMeterFactory meterFactory, HealthStateStore store, SchedulerStatistics statistics)
    {
        var meter = meterFactory.Create(MeterName, typeof(DependencyHealthMeter).Assembly.GetName().Version?.ToString());
        Meter = meter;
        meter.CreateObservableGauge(
            "app_dependency_health",
            () => ObserveHealth(store),
            description: "Health status of a dependency (1 = healthy, 0 = unhealthy)");
        _latency = meter.CreateHistogram(
            "app_dependency_latency_seconds",
            unit: "s",
            description: "Latency of dependency health check in seconds",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.UpperBounds });
        meter.CreateObservableGauge(
            "app_dependency_status",
            () => ObserveStatus(store),
            description: "Category of the last check result");
        meter.CreateObservableGauge(
            "app_dependency_status_detail",
            () => ObserveDetail(store),
            description: "Detailed reason of the last check result");
        meter.CreateObservableUpDownCounter(
            "app_dependency_checks_in_flight",
            () => statistics.InFlight,
            description: "Dependency checks started and not yet completed, including abandoned ones");
        meter.CreateObservableCounter(
            "app_dependency_flaps",
            () => ObserveFlaps(store),
            description: "Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)");
        ConfigReloadDuration = meter.CreateHistogram(
            "app_dependency_config_reload_duration_seconds",
            unit: "s",
            description: "Time to validate and apply a configuration reload",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.UpperBounds });
    }

    /// <summary>The meter the package's other counters observe their counts on.</summary>
    public Meter Meter { get; }

    public Histogram<double> ConfigReloadDuration { get; }

    public void RecordLatency(EndpointEntry entry, double seconds)
    {
        if (_latency.Enabled)
        {
            _latency.Record(seconds, entry.Labels.Tags);
        }
    }

    private static IEnumerable<Measurement<int>> ObserveHealth(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (entry.Read() is { HasResult: true } state && !entry.IsRemoved)
            {
                yield return new Measurement<int>(state.Health == HealthState.Healthy ? 1 : 0, entry.Labels.Tags);
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveStatus(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (entry.Read() is not { HasResult: true } state || entry.IsRemoved)
            {
                continue;
            }

            foreach (var status in CheckDetails.Statuses)
            {
                yield return new Measurement<int>(
                    string.Equals(status, state.Status, StringComparison.Ordinal) ? 1 : 0,
                    WithTag(entry.Labels.Tags, "status", status));
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveDetail(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (entry.Read() is { HasResult: true } state && !entry.IsRemoved)
            {
                yield return new Measurement<int>(1, WithTag(entry.Labels.Tags, "detail", state.Detail));
            }
        }
    }

    private static IEnumerable<Measurement<long>> ObserveFlaps(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (entry.Read() is { HasResult: true } state && !entry.IsRemoved)
            {
                yield return new Measurement<long>(state.Flaps, entry.Labels.Tags);
            }
        }
    }

    private static KeyValuePair<string, object?>[] WithTag(KeyValuePair<string, object?>[] tags, string name, string value)
    {
        var result = new KeyValuePair<string, object?>[tags.Length + 1];
        tags.CopyTo(result, 0);
        result[^1] = new(name, value);
        return result;
    }
}
