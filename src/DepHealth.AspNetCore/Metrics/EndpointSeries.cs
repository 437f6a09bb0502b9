using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// The lines of one endpoint in each per-endpoint family. Label sets are pre-rendered per endpoint, so these write bytes
/// and numbers only; the samples are the same in both formats but for the <c>le</c> values.
/// </summary>
internal static class EndpointSeries
{
    /// <summary>The per-endpoint families, in the order of the exposition: one section each.</summary>
    public static readonly MetricFamily[] Families = [MetricFamily.Health, MetricFamily.Latency, MetricFamily.Status, MetricFamily.Detail, MetricFamily.Flaps];

    private static readonly byte[][] StatusLabels = CheckDetails.Statuses
        .Select(s => System.Text.Encoding.UTF8.GetBytes($",status=\"{s}\"}} "))
        .ToArray();

    /// <summary>Writes the endpoint's lines of <see cref="Families"/>[<paramref name="section"/>].</summary>
    public static void Write(ref Utf8TextWriter w, ExpositionFormat format, int section, EndpointEntry entry, in EndpointSnapshot state, ReadOnlySpan<long> buckets)
    {
        switch (section)
        {
            case 0:
                WriteHealth(ref w, entry, state);
                break;
            case 1:
                WriteLatency(ref w, format, entry, state, buckets);
                break;
            case 2:
                WriteStatus(ref w, entry, state);
                break;
            case 3:
                WriteDetail(ref w, entry, state);
                break;
            default:
                WriteFlaps(ref w, entry, state);
                break;
        }
    }

    private static void WriteHealth(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        w.Write("app_dependency_health{"u8);
        w.Write(entry.Labels.Prometheus);
        w.Write(state.Health == HealthState.Healthy ? "} 1\n"u8 : "} 0\n"u8);
    }

    private static void WriteLatency(ref Utf8TextWriter w, ExpositionFormat format, EndpointEntry entry, in EndpointSnapshot state, ReadOnlySpan<long> buckets)
    {
        var labels = entry.Labels.Prometheus;
        var bucketLabels = format.BucketLabels;
        for (var b = 0; b < bucketLabels.Length; b++)
        {
            w.Write("app_dependency_latency_seconds_bucket{"u8);
            w.Write(labels);
            if (b == 0)
            {
                    }

            w.Write(bucketLabels[b]);
            w.Write(buckets[b]);
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

    private static void WriteStatus(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        var statuses = CheckDetails.Statuses;
        for (var s = 0; s < StatusLabels.Length; s++)
        {
            w.Write("app_dependency_status{"u8);
            w.Write(entry.Labels.Prometheus);
            if (s == 0)
            {
                    }

            w.Write(StatusLabels[s]);
            w.Write(string.Equals(statuses[s], state.Status, StringComparison.Ordinal) ? "1\n"u8 : "0\n"u8);
        }
    }

    private static void WriteDetail(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        w.Write("app_dependency_status_detail{"u8);
        w.Write(entry.Labels.Prometheus);
        w.Write(",detail=\""u8);

        // Detail values are the contract's own lower-case ASCII words, never user input: nothing to escape.
        w.Write(state.Detail);
        w.Write("\"} 1\n"u8);
    }

    private static void WriteFlaps(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        w.Write("app_dependency_flaps_total{"u8);
        w.Write(entry.Labels.Prometheus);
        w.Write("} "u8);
        w.Write(state.Flaps);
        w.Write((byte)'\n');
    }
}
