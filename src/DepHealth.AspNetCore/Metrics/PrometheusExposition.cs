using System.Buffers;
using System.IO.Pipelines;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Renders the contract's metric families in the Prometheus text format (version 0.0.4) from the state store.
/// Label sets are pre-rendered per endpoint, so a scrape writes bytes and numbers only. An endpoint that fails to render
/// is left out of the scrape from that family on, its partial lines rolled back: every other endpoint and every family
/// stay complete (see <see cref="RenderFailures"/>).
/// </summary>
internal sealed class PrometheusExposition(
    HealthStateStore store,
    RegistryChangeCounter registryChanges,
    SchedulerStatistics statistics,
    ConfigReloadMetrics reloads,
    RenderFailures failures)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly byte[][] StatusLabels = CheckDetails.Statuses
        .Select(s => System.Text.Encoding.UTF8.GetBytes($",status=\"{s}\"}} "))
        .ToArray();

    private static readonly byte[][] BucketLabels = LatencyBuckets.Labels
        .Select(le => System.Text.Encoding.UTF8.GetBytes($",le=\"{le}\"}} "))
        .ToArray();

    /// <summary>
    /// Scrapes whose arrays are kept for the next ones: as many as usually overlap (one Prometheus, or an HA pair), no
    /// more. A scrape beyond them gets arrays of its own, left to the collector afterwards: returned to the shared pool
    /// they would stay there, a few MB each at 10,000 endpoints, after a burst of overlapping scrapes (a slow network,
    /// a stall) has passed.
    /// </summary>
    private readonly Scrape?[] _idle = new Scrape?[2];

    /// <summary>
    /// Bytes written between flushes of a streamed scrape: what a response holds at most. Each flush costs Kestrel a
    /// socket send and, when the socket is behind, a few hundred bytes of state machines; at 10,000 endpoints (45 MB)
    /// and ten scrapes a second, 256 KB rather than 64 KB took server CPU from about 90% to about 60% of a core and
    /// allocations per scrape from 620 KB to 380 KB (the load test in ReliabilityTests).
    /// </summary>
    private const int FlushEvery = 256 * 1024;

    /// <summary>Renders the whole exposition into <paramref name="output"/>.</summary>
    public void Render(IBufferWriter<byte> output)
    {
        var scrape = Snapshot();
        try
        {
            RenderSome(output, scrape, Position.Start, int.MaxValue, CancellationToken.None);
        }
        finally
        {
            Release(scrape);
        }
    }

    /// <summary>
    /// Streams the exposition, flushing every <see cref="FlushEvery"/> bytes, so that a scrape of thousands of
    /// endpoints never holds its whole body in memory.
    /// </summary>
    public async Task RenderAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var scrape = Snapshot();
        try
        {
            var position = Position.Start;
            while (!position.Done)
            {
                position = RenderSome(output, scrape, position, FlushEvery, cancellationToken);
                var flushed = await output.FlushAsync(cancellationToken);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
        }
        finally
        {
            Release(scrape);
        }
    }

    /// <summary>Takes one snapshot per endpoint so that the four families agree with each other within a scrape.</summary>
    private Scrape Snapshot()
    {
        var entries = store.Sorted();

        // A previous scrape's arrays are reused: the same memory every time.
        Scrape? scrape = null;
        for (var i = 0; i < _idle.Length && scrape is null; i++)
        {
            scrape = Interlocked.Exchange(ref _idle[i], null);
        }

        if (scrape is null || scrape.Capacity < entries.Length)
        {
            // Room for an eighth more endpoints, so that a growing registry does not reallocate at every scrape.
            scrape = new Scrape(entries.Length + (entries.Length / 8) + 16, BucketLabels.Length);
        }

        foreach (var entry in entries)
        {
            EndpointSnapshot state;
            try
            {
                state = entry.Read(scrape.Buckets.AsSpan(scrape.Count * BucketLabels.Length, BucketLabels.Length));
            }
            catch (Exception exception)
            {
                failures.Failed(entry, RenderOutput.Metrics, exception);
                continue;
            }

            if (state.HasResult && !entry.IsRemoved)
            {
                scrape.Entries[scrape.Count++] = (entry, state);
            }
        }

        return scrape;
    }

    private void Release(Scrape scrape)
    {
        // Cleared, so that the idle arrays keep no removed endpoint alive.
        scrape.Entries.AsSpan(0, scrape.Count).Clear();
        scrape.ClearFailed();
        scrape.Count = 0;
        for (var i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[i], scrape, null) is null)
            {
                return;
            }
        }

        // More scrapes overlapped than are kept: this one's arrays go to the collector.
    }

    /// <summary>Writes from <paramref name="position"/> on until at least <paramref name="budget"/> bytes are written (at an endpoint's end) or all is.</summary>
    private Position RenderSome(IBufferWriter<byte> output, Scrape scrape, Position position, int budget, CancellationToken cancellationToken)
    {
        var writer = new Utf8TextWriter(output);
        var (section, index) = (position.Section, position.Index);
        while (section < Position.DoneSection)
        {
            if (section == Position.TrailerSection)
            {
                WriteRegistryChanges(ref writer);
                WriteInFlight(ref writer);
                WriteReloads(ref writer);
                WriteRenderErrors(ref writer);
                section = Position.DoneSection;
                break;
            }

            if (scrape.Count == 0)
            {
                section = Position.TrailerSection;
                continue;
            }

            if (index == 0)
            {
                writer.Write(Headers[section]);
            }

            while (index < scrape.Count)
            {
                if (!scrape.HasFailed(index))
                {
                    WriteEndpoint(ref writer, scrape, section, index, cancellationToken);
                }

                index++;
                if (writer.Written >= budget)
                {
                    writer.Flush();
                    return new Position(section, index);
                }
            }

            (section, index) = (section + 1, 0);
        }

        writer.Flush();
        return new Position(section, 0);
    }

    /// <summary>
    /// One endpoint's lines of one family, as a piece of the writer: a failure discards them, so the family stays valid
    /// text, and leaves the endpoint out of the families still to come. Entering the try costs nothing, and the piece
    /// is written in place (see <see cref="Utf8TextWriter"/>), so the scrape that does not fail pays no copy for it.
    /// </summary>
    private void WriteEndpoint(ref Utf8TextWriter writer, Scrape scrape, int section, int index, CancellationToken cancellationToken)
    {
        var (entry, state) = scrape.Entries[index];
        writer.BeginPiece();
        try
        {
            switch (section)
            {
                case 0:
                    WriteHealth(ref writer, entry, state);
                    break;
                case 1:
                    WriteLatency(ref writer, entry, state, scrape.Buckets.AsSpan(index * BucketLabels.Length, BucketLabels.Length));
                    break;
                case 2:
                    WriteStatus(ref writer, entry, state);
                    break;
                case 3:
                    WriteDetail(ref writer, entry, state);
                    break;
                default:
                    WriteFlaps(ref writer, entry, state);
                    break;
            }
        }
        catch (Exception exception) when (RenderFailures.IsIsolated(exception, cancellationToken))
        {
            writer.DiscardPiece();
            scrape.MarkFailed(index);
            failures.Failed(entry, RenderOutput.Metrics, exception);
            return;
        }

        writer.EndPiece();
        if (section == Position.LastEndpointSection)
        {
            // Only now has the endpoint rendered in every family: this scrape may end its failure episode.
            failures.Rendered(entry, RenderOutput.Metrics);
        }
    }

    private static readonly byte[][] Headers =
    [
        "# HELP app_dependency_health Health status of a dependency (1 = healthy, 0 = unhealthy)\n# TYPE app_dependency_health gauge\n"u8.ToArray(),
        "# HELP app_dependency_latency_seconds Latency of dependency health check in seconds\n# TYPE app_dependency_latency_seconds histogram\n"u8.ToArray(),
        "# HELP app_dependency_status Category of the last check result\n# TYPE app_dependency_status gauge\n"u8.ToArray(),
        "# HELP app_dependency_status_detail Detailed reason of the last check result\n# TYPE app_dependency_status_detail gauge\n"u8.ToArray(),
        "# HELP app_dependency_flaps_total Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)\n# TYPE app_dependency_flaps_total counter\n"u8.ToArray(),
    ];

    private static readonly byte[][] RenderErrorLabels = RenderFailures.Outputs
        .Select(o => System.Text.Encoding.UTF8.GetBytes($"app_dependency_render_errors_total{{output=\"{o}\"}} "))
        .ToArray();

    private static void WriteHealth(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        w.Write("app_dependency_health{"u8);
        w.Write(entry.Labels.Prometheus);
        entry.RenderFault?.Invoke(RenderOutput.Metrics);
        w.Write(state.Health == HealthState.Healthy ? "} 1\n"u8 : "} 0\n"u8);
    }

    private static void WriteLatency(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state, ReadOnlySpan<long> buckets)
    {
        var labels = entry.Labels.Prometheus;
        for (var b = 0; b < BucketLabels.Length; b++)
        {
            w.Write("app_dependency_latency_seconds_bucket{"u8);
            w.Write(labels);
            if (b == 0)
            {
                entry.RenderFault?.Invoke(RenderOutput.Metrics);
            }

            w.Write(BucketLabels[b]);
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
                entry.RenderFault?.Invoke(RenderOutput.Metrics);
            }

            w.Write(StatusLabels[s]);
            w.Write(string.Equals(statuses[s], state.Status, StringComparison.Ordinal) ? "1\n"u8 : "0\n"u8);
        }
    }

    private static void WriteDetail(ref Utf8TextWriter w, EndpointEntry entry, in EndpointSnapshot state)
    {
        w.Write("app_dependency_status_detail{"u8);
        w.Write(entry.Labels.Prometheus);
        entry.RenderFault?.Invoke(RenderOutput.Metrics);
        w.Write(",detail=\""u8);

        // Detail values are the contract's own lower-case ASCII words, never user input: nothing to escape.
        w.Write(state.Detail);
        w.Write("\"} 1\n"u8);
    }

    private static void WriteFlaps(ref Utf8TextWriter w, EndpointEntry entry, EndpointSnapshot state)
    {
        w.Write("app_dependency_flaps_total{"u8);
        w.Write(entry.Labels.Prometheus);
        entry.RenderFault?.Invoke(RenderOutput.Metrics);
        w.Write("} "u8);
        w.Write(state.Flaps);
        w.Write((byte)'\n');
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

    private void WriteRenderErrors(ref Utf8TextWriter w)
    {
        w.Write("# HELP app_dependency_render_errors_total Times an endpoint was left out of an output (metrics, details, readiness, registry listing, meter) because rendering it failed\n# TYPE app_dependency_render_errors_total counter\n"u8);
        for (var o = 0; o < RenderErrorLabels.Length; o++)
        {
            w.Write(RenderErrorLabels[o]);
            w.Write(failures.Count(o));
            w.Write((byte)'\n');
        }
    }

    /// <summary>Where a streamed scrape goes on: a section (the five per-endpoint families, then the trailer) and an endpoint index.</summary>
    private readonly record struct Position(int Section, int Index)
    {
        public const int LastEndpointSection = 4;
        public const int TrailerSection = 5;
        public const int DoneSection = 6;

        public static Position Start => new(0, 0);

        public bool Done => Section == DoneSection;
    }

    /// <summary>The endpoints of one scrape and their snapshots.</summary>
    private sealed class Scrape(int capacity, int bucketsPerEntry)
    {
        public (EndpointEntry Entry, EndpointSnapshot State)[] Entries { get; } = new (EndpointEntry, EndpointSnapshot)[capacity];

        /// <summary>Endpoints the arrays have room for.</summary>
        public int Capacity => Entries.Length;

        public long[] Buckets { get; } = new long[capacity * bucketsPerEntry];

        public int Count { get; set; }

        /// <summary>Endpoints that failed to render in this scrape; allocated at the first failure only.</summary>
        private bool[]? _failed;

        public bool HasFailed(int index) => _failed is { } failed && failed[index];

        public void MarkFailed(int index) => (_failed ??= new bool[Count])[index] = true;

        public void ClearFailed() => _failed = null;

    }
}
