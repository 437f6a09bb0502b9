using System.Buffers;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Renders the contract's metric families in the Prometheus text format (version 0.0.4) from the state store.
/// Label sets are pre-rendered per endpoint, so a scrape writes bytes and numbers only.
/// </summary>
internal sealed class PrometheusExposition(
    HealthStateStore store, RegistryChangeCounter registryChanges, SchedulerStatistics statistics, ConfigReloadMetrics reloads)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly byte[][] StatusLabels = CheckDetails.Statuses
        .Select(s => System.Text.Encoding.UTF8.GetBytes($",status=\"{s}\"}} "))
        .ToArray();

    private static readonly byte[][] BucketLabels = LatencyBuckets.Labels
        .Select(le => System.Text.Encoding.UTF8.GetBytes($",le=\"{le}\"}} "))
        .ToArray();

    public void Render(IBufferWriter<byte> output)
    {
        var entries = store.Sorted();

        // Take one snapshot per endpoint so that the four families agree with each other within a scrape.
        var rented = ArrayPool<(EndpointEntry Entry, EndpointSnapshot State)>.Shared.Rent(Math.Max(1, entries.Length));
        var buckets = ArrayPool<long>.Shared.Rent(Math.Max(1, entries.Length * BucketLabels.Length));
        try
        {
            var count = 0;
            foreach (var entry in entries)
            {
                var state = entry.Read(buckets.AsSpan(count * BucketLabels.Length, BucketLabels.Length));
                if (state.HasResult && !entry.IsRemoved)
                {
                    rented[count++] = (entry, state);
                }
            }

            var writer = new Utf8TextWriter(output);
            var checkedEntries = rented.AsSpan(0, count);
            if (count > 0)
            {
                WriteHealth(ref writer, checkedEntries);
                WriteLatency(ref writer, checkedEntries, buckets);
                WriteStatus(ref writer, checkedEntries);
                WriteDetail(ref writer, checkedEntries);
                WriteFlaps(ref writer, checkedEntries);
            }

            WriteRegistryChanges(ref writer);
            WriteInFlight(ref writer);
            WriteReloads(ref writer);
            writer.Flush();
        }
        finally
        {
            ArrayPool<(EndpointEntry, EndpointSnapshot)>.Shared.Return(rented, clearArray: true);
            ArrayPool<long>.Shared.Return(buckets);
        }
    }

    private static void WriteHealth(ref Utf8TextWriter w, ReadOnlySpan<(EndpointEntry Entry, EndpointSnapshot State)> entries)
    {
        w.Write("# HELP app_dependency_health Health status of a dependency (1 = healthy, 0 = unhealthy)\n# TYPE app_dependency_health gauge\n"u8);
        foreach (var (entry, state) in entries)
        {
            w.Write("app_dependency_health{"u8);
            w.Write(entry.Labels.Prometheus);
            w.Write(state.Health == HealthState.Healthy ? "} 1\n"u8 : "} 0\n"u8);
        }
    }

    private static void WriteLatency(ref Utf8TextWriter w, ReadOnlySpan<(EndpointEntry Entry, EndpointSnapshot State)> entries, long[] buckets)
    {
        w.Write("# HELP app_dependency_latency_seconds Latency of dependency health check in seconds\n# TYPE app_dependency_latency_seconds histogram\n"u8);
        for (var i = 0; i < entries.Length; i++)
        {
            var (entry, state) = entries[i];
            var labels = entry.Labels.Prometheus;
            var offset = i * BucketLabels.Length;
            for (var b = 0; b < BucketLabels.Length; b++)
            {
                w.Write("app_dependency_latency_seconds_bucket{"u8);
                w.Write(labels);
                w.Write(BucketLabels[b]);
                w.Write(buckets[offset + b]);
                w.Write((byte)'\n');
            }

            w.Write("app_dependency_latency_seconds_sum{"u8);
            w.Write(labels);
            w.Write("} "u8);
            w.Write(state.LatencySum);
            w.Write("\napp_dependency_latency_seconds_count{"u8);
            w.Write(labels);
            w.Write("} "u8);
            w.Write(state.CheckCount);
            w.Write((byte)'\n');
        }
    }

    private static void WriteStatus(ref Utf8TextWriter w, ReadOnlySpan<(EndpointEntry Entry, EndpointSnapshot State)> entries)
    {
        w.Write("# HELP app_dependency_status Category of the last check result\n# TYPE app_dependency_status gauge\n"u8);
        var statuses = CheckDetails.Statuses;
        foreach (var (entry, state) in entries)
        {
            for (var s = 0; s < StatusLabels.Length; s++)
            {
                w.Write("app_dependency_status{"u8);
                w.Write(entry.Labels.Prometheus);
                w.Write(StatusLabels[s]);
                w.Write(string.Equals(statuses[s], state.Status, StringComparison.Ordinal) ? "1\n"u8 : "0\n"u8);
            }
        }
    }

    private static void WriteDetail(ref Utf8TextWriter w, ReadOnlySpan<(EndpointEntry Entry, EndpointSnapshot State)> entries)
    {
        w.Write("# HELP app_dependency_status_detail Detailed reason of the last check result\n# TYPE app_dependency_status_detail gauge\n"u8);
        foreach (var (entry, state) in entries)
        {
            w.Write("app_dependency_status_detail{"u8);
            w.Write(entry.Labels.Prometheus);
            w.Write(",detail=\""u8);

            // Detail values are the contract's own lower-case ASCII words, never user input: nothing to escape.
            w.Write(state.Detail);
            w.Write("\"} 1\n"u8);
        }
    }

    private static void WriteFlaps(ref Utf8TextWriter w, ReadOnlySpan<(EndpointEntry Entry, EndpointSnapshot State)> entries)
    {
        w.Write("# HELP app_dependency_flaps_total Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)\n# TYPE app_dependency_flaps_total counter\n"u8);
        foreach (var (entry, state) in entries)
        {
            w.Write("app_dependency_flaps_total{"u8);
            w.Write(entry.Labels.Prometheus);
            w.Write("} "u8);
            w.Write(state.Flaps);
            w.Write((byte)'\n');
        }
    }

    private void WriteRegistryChanges(ref Utf8TextWriter w)
    {
        w.Write("# HELP app_dependency_registry_changes_total Changes applied to the endpoint registry\n# TYPE app_dependency_registry_changes_total counter\n"u8);
        foreach (var (operation, result, count) in registryChanges.Snapshot())
        {
            w.Write("app_dependency_registry_changes_total{operation=\""u8);
            w.Write(operation);
            w.Write("\",result=\""u8);
            w.Write(result);
            w.Write("\"} "u8);
            w.Write(count);
            w.Write((byte)'\n');
        }
    }

    private void WriteInFlight(ref Utf8TextWriter w)
    {
        w.Write("# HELP app_dependency_checks_in_flight Dependency checks started and not yet completed, including abandoned ones\n# TYPE app_dependency_checks_in_flight gauge\napp_dependency_checks_in_flight "u8);
        w.Write(statistics.InFlight);
        w.Write((byte)'\n');
    }

    private void WriteReloads(ref Utf8TextWriter w)
    {
        w.Write("# HELP app_dependency_config_reloads_total Configuration reloads of the monitored dependencies, by result\n# TYPE app_dependency_config_reloads_total counter\n"u8);
        w.Write("app_dependency_config_reloads_total{result=\"failure\"} "u8);
        w.Write(reloads.Failures);
        w.Write("\napp_dependency_config_reloads_total{result=\"success\"} "u8);
        w.Write(reloads.Successes);
        w.Write((byte)'\n');

        var (cumulative, sum, count) = reloads.ReadDuration();
        w.Write("# HELP app_dependency_config_reload_duration_seconds Time to validate and apply a configuration reload\n# TYPE app_dependency_config_reload_duration_seconds histogram\n"u8);
        for (var b = 0; b < cumulative.Length; b++)
        {
            w.Write("app_dependency_config_reload_duration_seconds_bucket{le=\""u8);
            w.Write(LatencyBuckets.Labels[b]);
            w.Write("\"} "u8);
            w.Write(cumulative[b]);
            w.Write((byte)'\n');
        }

        w.Write("app_dependency_config_reload_duration_seconds_sum "u8);
        w.Write(sum);
        w.Write("\napp_dependency_config_reload_duration_seconds_count "u8);
        w.Write(count);
        w.Write((byte)'\n');
    }
}
