using System.Buffers;
using System.IO.Pipelines;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Renders the metric families from the state store in an <see cref="ExpositionFormat"/>: the Prometheus text format
/// 0.0.4 unless another is asked for.
/// </summary>
internal sealed class PrometheusExposition(
    HealthStateStore store,
    RegistryChangeCounter registryChanges,
    SchedulerStatistics statistics,
    ConfigReloadMetrics reloads)
{
    /// <summary>The content type of the default format, Prometheus text 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly int BucketCount = LatencyBuckets.Labels.Length;

    private readonly PackageSeries _packageSeries = new(registryChanges, statistics, reloads);

    /// <summary>
    /// Scrapes whose arrays are kept for the next ones: as many as usually overlap (one Prometheus, or an HA pair), no
    /// more. A scrape beyond them gets arrays of its own, left to the collector afterwards: returned to the shared pool
    /// they would stay there, a few MB each at 10,000 endpoints, after a burst of overlapping scrapes (a slow network,
    /// a stall) has passed.
    /// </summary>
    private readonly ExpositionScrape?[] _idle = new ExpositionScrape?[2];

    /// <summary>
    /// Bytes written between flushes of a streamed scrape: what a response holds at most. Each flush costs Kestrel a
    /// socket send and, when the socket is behind, a few hundred bytes of state machines; at 10,000 endpoints (45 MB)
    /// and ten scrapes a second, 256 KB rather than 64 KB took server CPU from about 90% to about 60% of a core and
    /// allocations per scrape from 620 KB to 380 KB (the load test in ReliabilityTests).
    /// </summary>
    private const int FlushEvery = 256 * 1024;

    /// <summary>Renders the whole exposition into <paramref name="output"/> in the Prometheus text format 0.0.4.</summary>
    public void Render(IBufferWriter<byte> output) => Render(output, ExpositionFormat.PrometheusText);

    /// <summary>Renders the whole exposition into <paramref name="output"/>.</summary>
    public void Render(IBufferWriter<byte> output, ExpositionFormat format)
    {
        var scrape = Snapshot();
        try
        {
            RenderSome(output, format, scrape, Position.Start, int.MaxValue);
        }
        finally
        {
            Release(scrape);
        }
    }

    /// <summary>Streams the exposition in the Prometheus text format 0.0.4 (see the overload with a format).</summary>
    public Task RenderAsync(PipeWriter output, CancellationToken cancellationToken) =>
        RenderAsync(output, ExpositionFormat.PrometheusText, cancellationToken);

    /// <summary>
    /// Streams the exposition, flushing every <see cref="FlushEvery"/> bytes, so that a scrape of thousands of
    /// endpoints never holds its whole body in memory.
    /// </summary>
    public async Task RenderAsync(PipeWriter output, ExpositionFormat format, CancellationToken cancellationToken)
    {
        var scrape = Snapshot();
        try
        {
            var position = Position.Start;
            while (!position.Done)
            {
                position = RenderSome(output, format, scrape, position, FlushEvery);
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
    private ExpositionScrape Snapshot()
    {
        var entries = store.Sorted();

        // A previous scrape's arrays are reused: the same memory every time.
        ExpositionScrape? scrape = null;
        for (var i = 0; i < _idle.Length && scrape is null; i++)
        {
            scrape = Interlocked.Exchange(ref _idle[i], null);
        }

        if (scrape is null || scrape.Capacity < entries.Length)
        {
            // Room for an eighth more endpoints, so that a growing registry does not reallocate at every scrape.
            scrape = new ExpositionScrape(entries.Length + (entries.Length / 8) + 16, BucketCount);
        }

        foreach (var entry in entries)
        {
            var state = entry.Read(scrape.Buckets.AsSpan(scrape.Count * BucketCount, BucketCount));
            if (state.HasResult && !entry.IsRemoved)
            {
                scrape.Entries[scrape.Count++] = (entry, state);
            }
        }

        return scrape;
    }

    private void Release(ExpositionScrape scrape)
    {
        // Cleared, so that the idle arrays keep no removed endpoint alive.
        scrape.Entries.AsSpan(0, scrape.Count).Clear();
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
    private Position RenderSome(IBufferWriter<byte> output, ExpositionFormat format, ExpositionScrape scrape, Position position, int budget)
    {
        var writer = new Utf8TextWriter(output);
        var (section, index) = (position.Section, position.Index);
        while (section < Position.DoneSection)
        {
            if (section == Position.TrailerSection)
            {
                _packageSeries.Write(ref writer, format);
                writer.Write(format.End);
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
                writer.Write(format.Header(EndpointSeries.Families[section]));
            }

            while (index < scrape.Count)
            {
                var (entry, state) = scrape.Entries[index];
                EndpointSeries.Write(ref writer, format, section, entry, state, scrape.Buckets.AsSpan(index * BucketCount, BucketCount));
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

    /// <summary>Where a streamed scrape goes on: a section (the five per-endpoint families, then the trailer) and an endpoint index.</summary>
    private readonly record struct Position(int Section, int Index)
    {
        public const int TrailerSection = 5;
        public const int DoneSection = 6;

        public static Position Start => new(0, 0);

        public bool Done => Section == DoneSection;
    }
}
