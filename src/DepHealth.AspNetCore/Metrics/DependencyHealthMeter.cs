using System.Diagnostics.Metrics;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// The contract's measurements as <see cref="System.Diagnostics.Metrics"/> instruments on the meter
/// <c>DepHealth.AspNetCore</c>, for OpenTelemetry (<c>AddMeter("DepHealth.AspNetCore")</c>). Gauges are observed
/// from the state store, so removed endpoints stop being reported. An endpoint that fails to be observed is left out of
/// that observation; the others are still reported (see <see cref="RenderFailures"/>).
/// </summary>
internal sealed class DependencyHealthMeter
{
    public const string MeterName = "DepHealth.AspNetCore";

    private readonly Histogram<double> _latency;
    private readonly RenderFailures _failures;

    public DependencyHealthMeter(IMeterFactory meterFactory, HealthStateStore store, SchedulerStatistics statistics, RenderFailures failures)
    {
        _failures = failures;
        var meter = meterFactory.Create(MeterName, typeof(DependencyHealthMeter).Assembly.GetName().Version?.ToString());
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
        RegistryChanges = meter.CreateCounter<long>(
            "app_dependency_registry_changes",
            description: "Changes applied to the endpoint registry");
        ConfigReloads = meter.CreateCounter<long>(
            "app_dependency_config_reloads",
            description: "Configuration reloads of the monitored dependencies, by result");
        ConfigReloadDuration = meter.CreateHistogram(
            "app_dependency_config_reload_duration_seconds",
            unit: "s",
            description: "Time to validate and apply a configuration reload",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.UpperBounds });
        meter.CreateObservableCounter(
            "app_dependency_render_errors",
            () => ObserveRenderErrors(failures),
            description: "Times an endpoint was left out of an output (metrics, details, readiness, registry listing, meter) because rendering it failed");
    }

    public Counter<long> RegistryChanges { get; }

    public Counter<long> ConfigReloads { get; }

    public Histogram<double> ConfigReloadDuration { get; }

    public void RecordLatency(EndpointEntry entry, double seconds)
    {
        if (_latency.Enabled)
        {
            _latency.Record(seconds, entry.Labels.Tags);
        }
    }

    private IEnumerable<Measurement<int>> ObserveHealth(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (TryRead(entry, RenderOutput.MeterHealth, out var state) && state.HasResult && !entry.IsRemoved)
            {
                yield return new Measurement<int>(state.Health == HealthState.Healthy ? 1 : 0, entry.Labels.Tags);
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveStatus(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (!TryRead(entry, RenderOutput.MeterStatus, out var state) || !state.HasResult || entry.IsRemoved)
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

    private IEnumerable<Measurement<int>> ObserveDetail(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (TryRead(entry, RenderOutput.MeterDetail, out var state) && state.HasResult && !entry.IsRemoved)
            {
                yield return new Measurement<int>(1, WithTag(entry.Labels.Tags, "detail", state.Detail));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveFlaps(HealthStateStore store)
    {
        foreach (var entry in store.Sorted())
        {
            if (TryRead(entry, RenderOutput.MeterFlaps, out var state) && state.HasResult && !entry.IsRemoved)
            {
                yield return new Measurement<long>(state.Flaps, entry.Labels.Tags);
            }
        }
    }

    /// <summary>
    /// Reads one endpoint for an observation. A failure leaves only that endpoint out: thrown out of the callback, it
    /// would lose the instrument's whole observation for every endpoint. (An iterator cannot catch around a yield, so
    /// everything that may throw happens here, before anything of the endpoint is yielded.)
    /// </summary>
    private bool TryRead(EndpointEntry entry, RenderOutput output, out EndpointSnapshot state)
    {
        try
        {
            state = entry.Read();
            entry.RenderFault?.Invoke(output);
        }
        catch (Exception exception)
        {
            _failures.Failed(entry, output, exception);
            state = default;
            return false;
        }

        _failures.Rendered(entry, output);
        return true;
    }

    private static IEnumerable<Measurement<long>> ObserveRenderErrors(RenderFailures failures)
    {
        for (var o = 0; o < RenderFailures.Outputs.Length; o++)
        {
            yield return new Measurement<long>(failures.Count(o), new KeyValuePair<string, object?>("output", RenderFailures.Outputs[o]));
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
