using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace DepHealth.AspNetCore.LoadDriver;

/// <summary>
/// Open-loop load at fixed rates: request <c>n</c> of a kind is due at <c>start + n / rate</c> and is sent then, whether
/// or not earlier requests have been answered, so a slow server cannot lower the offered rate (no coordinated omission).
/// Latency is measured from the due time to the last byte of the body; the time from the actual send is reported too.
/// Probes and scrapes use separate connection pools, so a probe never queues behind a scrape's body on a connection.
/// </summary>
internal sealed class OpenLoopLoad : IDisposable
{
    private const int ScrapeBufferSize = 256 * 1024;

    private readonly DriverOptions _options;
    private readonly HttpClient _probes;
    private readonly HttpClient _scrapes;
    private readonly Uri _probeUri;
    private readonly Uri _scrapeUri;
    private readonly byte[] _lastLinePrefix;

    /// <summary>Scrape read buffers, reused: one per scrape in flight, never more.</summary>
    private readonly ConcurrentBag<byte[]> _scrapeBuffers = [];

    public OpenLoopLoad(DriverOptions options)
    {
        _options = options;
        _probes = CreateClient(options.ProbeConnections, options.ProbeTimeout);
        _scrapes = CreateClient(options.ScrapeConnections, options.ScrapeTimeout);
        _probeUri = new Uri(options.BaseUrl, options.ProbePath);
        _scrapeUri = new Uri(options.BaseUrl, options.ScrapePath);
        _lastLinePrefix = Encoding.UTF8.GetBytes(options.ScrapeLastLinePrefix);
    }

    /// <summary>Runs one phase of <paramref name="seconds"/> and writes its summary as one JSON line.</summary>
    public async Task<string> RunAsync(string phase, double seconds)
    {
        var probes = new RequestStats("probe", _options.ProbeRate, seconds);
        var scrapes = new RequestStats("scrape", _options.ScrapeRate, seconds);
        probes.Prepare();
        scrapes.Prepare();
        var run = new PhaseRun(this, probes, scrapes, seconds);

        var cpu0 = ProcessorTime();
        var pause0 = GC.GetTotalPauseDuration();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var pacer = new Thread(run.Pace) { IsBackground = true, Name = "load pacer" };
        pacer.Start();
        await run.Finished;
        var cpu = ProcessorTime() - cpu0;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("phase", phase);
            json.WriteNumber("duration_s", seconds);
            json.WriteString("latency_measured_from", "scheduled send time (open loop, no coordinated omission)");
            probes.Write(json, seconds);
            scrapes.Write(json, seconds);
            json.WriteNumber("pacer_max_lag_ms", Math.Round(run.MaxLagMs, 3));
            json.WriteNumber("max_in_flight", run.MaxInFlight);
            json.WriteNumber("driver_cpu_ms", Math.Round(cpu.TotalMilliseconds));
            json.WriteNumber("driver_gc_pause_ms", Math.Round((GC.GetTotalPauseDuration() - pause0).TotalMilliseconds, 1));
            json.WriteNumber("driver_gen0_collections", GC.CollectionCount(0) - gen0);
            json.WriteNumber("driver_gen2_collections", GC.CollectionCount(2) - gen2);
            json.WriteStartArray("error_samples");
            foreach (var sample in probes.ErrorSamples.Concat(scrapes.ErrorSamples))
            {
                json.WriteStringValue(sample);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose()
    {
        _probes.Dispose();
        _scrapes.Dispose();
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static HttpClient CreateClient(int connections, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = timeout,
        };

    private async Task ProbeAsync(PhaseRun run, int sequence, long due)
    {
        var stats = run.Probes;
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await _probes.GetAsync(_probeUri, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            long bytes = 0;
            int read, last = 0;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                last = read;
            }

            var done = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                stats.Failed($"status_{(int)response.StatusCode}", Encoding.UTF8.GetString(buffer, 0, Math.Min(last, 300)));
            }
            else
            {
                stats.Completed(sequence, due, sent, done, bytes, 0);
            }
        }
        catch (Exception exception)
        {
            stats.Failed(Kind(exception), exception.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            run.RequestEnded();
        }
    }

    private async Task ScrapeAsync(PhaseRun run, int sequence, long due)
    {
        var stats = run.Scrapes;
        if (!_scrapeBuffers.TryTake(out var buffer))
        {
            buffer = new byte[ScrapeBufferSize];
        }

        try
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await _scrapes.GetAsync(_scrapeUri, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var tail = new Tail();
            long bytes = 0, lines = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                bytes += read;
                lines += chunk.Count((byte)'\n');
                tail.Append(chunk);
            }

            var done = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                stats.Failed($"status_{(int)response.StatusCode}", $"{bytes} bytes");
            }
            else if (_options.ScrapeLines > 0 && lines != _options.ScrapeLines)
            {
                stats.Failed("incomplete", $"{lines} lines, expected {_options.ScrapeLines} ({bytes} bytes)");
            }
            else if (!tail.EndsWithLineStarting(_lastLinePrefix))
            {
                stats.Failed("incomplete", $"the body does not end with a line starting '{_options.ScrapeLastLinePrefix}' and a newline ({bytes} bytes)");
            }
            else
            {
                stats.Completed(sequence, due, sent, done, bytes, lines);
            }
        }
        catch (Exception exception)
        {
            stats.Failed(Kind(exception), exception.Message);
        }
        finally
        {
            _scrapeBuffers.Add(buffer);
            run.RequestEnded();
        }
    }

    private static string Kind(Exception exception) => exception switch
    {
        TaskCanceledException => "timeout",
        HttpRequestException => "connection",
        IOException => "io",
        _ => exception.GetType().Name,
    };

    /// <summary>The last bytes of a body, to check how it ends without keeping it.</summary>
    private sealed class Tail
    {
        private readonly byte[] _bytes = new byte[1024];
        private int _length;

        public void Append(ReadOnlySpan<byte> chunk)
        {
            if (chunk.Length >= _bytes.Length)
            {
                chunk[^_bytes.Length..].CopyTo(_bytes);
                _length = _bytes.Length;
                return;
            }

            var keep = Math.Min(_length, _bytes.Length - chunk.Length);
            _bytes.AsSpan(_length - keep, keep).CopyTo(_bytes);
            chunk.CopyTo(_bytes.AsSpan(keep));
            _length = keep + chunk.Length;
        }

        public bool EndsWithLineStarting(ReadOnlySpan<byte> prefix)
        {
            var text = _bytes.AsSpan(0, _length);
            if (text.IsEmpty || text[^1] != (byte)'\n')
            {
                return false;
            }

            var lastLine = text[(text[..^1].LastIndexOf((byte)'\n') + 1)..];
            return lastLine.StartsWith(prefix);
        }
    }

    /// <summary>One phase: the pacer thread sends on schedule; <see cref="Finished"/> completes when every request has ended.</summary>
    private sealed class PhaseRun(OpenLoopLoad load, RequestStats probes, RequestStats scrapes, double seconds)
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Starts at 1 for the pacer itself, so that it cannot reach 0 before the schedule is done.</summary>
        private int _inFlight = 1;

        private int _maxInFlight;

        public RequestStats Probes { get; } = probes;

        public RequestStats Scrapes { get; } = scrapes;

        public Task Finished => _finished.Task;

        public double MaxLagMs { get; private set; }

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        /// <summary>
        /// Sends every request whose time has come, then sleeps about a millisecond (the pacer's own resolution); a
        /// late wake-up sends the overdue requests at once, and their latency still counts from their due time.
        /// </summary>
        public void Pace()
        {
            var frequency = (double)Stopwatch.Frequency;
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)(seconds * frequency);
            var probeTicks = Probes.Rate > 0 ? frequency / Probes.Rate : double.PositiveInfinity;
            var scrapeTicks = Scrapes.Rate > 0 ? frequency / Scrapes.Rate : double.PositiveInfinity;
            int probe = 0, scrape = 0;
            var maxLag = 0L;
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                var nextProbe = Due(start, probe, probeTicks);
                var nextScrape = Due(start, scrape, scrapeTicks);
                while (nextProbe <= now && nextProbe < end && probe < Probes.Capacity)
                {
                    maxLag = Math.Max(maxLag, now - nextProbe);
                    Started();
                    Probes.Scheduled();
                    _ = load.ProbeAsync(this, probe, nextProbe);
                    nextProbe = Due(start, ++probe, probeTicks);
                }

                while (nextScrape <= now && nextScrape < end && scrape < Scrapes.Capacity)
                {
                    maxLag = Math.Max(maxLag, now - nextScrape);
                    Started();
                    Scrapes.Scheduled();
                    _ = load.ScrapeAsync(this, scrape, nextScrape);
                    nextScrape = Due(start, ++scrape, scrapeTicks);
                }

                if ((nextProbe >= end || probe >= Probes.Capacity) && (nextScrape >= end || scrape >= Scrapes.Capacity))
                {
                    break;
                }

                // The generator's own clock, not a wait for a condition: a dedicated thread sleeping ~1 ms between passes.
                // A 1 ms PeriodicTimer was tried instead and measured: its ticks are coarser and hop the driver's busy
                // thread pool, adding 1.6 ms to probe p50 and 2.5 ms to p99, all of it counted against the server. So was
                // blocking on Task.Delay(until the next send, TimeProvider.System): p50 2.5-2.8 ms and p99 7.8-8.8 ms
                // from the scheduled send (1.0 and 5.5-5.9 with this), the server's own share unchanged.
                Thread.Sleep(1);
            }

            MaxLagMs = maxLag * 1000.0 / frequency;
            RequestEnded();
        }

        public void RequestEnded()
        {
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                _finished.TrySetResult();
            }
        }

        private void Started()
        {
            var inFlight = Interlocked.Increment(ref _inFlight) - 1;
            if (inFlight > _maxInFlight)
            {
                Volatile.Write(ref _maxInFlight, inFlight);
            }
        }

        private static long Due(long start, int sequence, double ticks) =>
            double.IsPositiveInfinity(ticks) ? long.MaxValue : start + (long)(sequence * ticks);
    }
}
