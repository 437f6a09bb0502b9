using System.Buffers.Text;
using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 9: registry add/update/remove from 8 threads while <c>/metrics</c> is scraped continuously over HTTP.
/// Every registration carries a unique <c>rev</c> label, so a series seen in a scrape can be traced to the registration
/// that produced it: a series whose registration had been replaced or removed before the scrape started is stale.
/// </summary>
internal static class ChurnScenario
{
    private const int Threads = 8;
    private const int KeysPerThread = 32;

    public static async Task<ScenarioResult> RunAsync()
    {
        var operations = Bench.Count(100_000, 20_000);
        // As many operations again to warm up: the thread pool and the pools of Kestrel and the runtime reach the size
        // this load needs, so that the first reading is the steady state rather than a cold start.
        var warmupOperations = Math.Max(operations, 60_000);

        // Allocated before the first memory reading: the bookkeeping of the benchmark itself.
        using var state = new ChurnState(operations + warmupOperations + (3 * Threads * KeysPerThread) + 1);
        await using var app = await BenchApp.StartOursAsync(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });

        // Warm up (JIT, pools, HTTP connection), then empty the registry and take the first reading.
        var keys = new KeyState[Threads][];
        for (var t = 0; t < Threads; t++)
        {
            keys[t] = new KeyState[KeysPerThread];
        }

        // The warm-up starts as the measured run does, with every key registered, so that buffers sized by the number
        // of endpoints (the exposition's snapshot arrays) reach the same size in both.
        await FillAllAsync(app, state, keys);
        await ChurnWithScraperAsync(app, state, keys, warmupOperations);

        // Memory is read with every key registered, before and after the run (a service whose registry churns but keeps
        // its size), and also with the registry emptied (nothing the package allocated for an endpoint may remain).
        await RemoveAllAsync(app, state, keys);
        await SettleAsync(app);
        var emptyBefore = await Stats.SettledManagedMemoryAsync() - state.OwnBytes;
        await FillAllAsync(app, state, keys);
        await SettleAsync(app);
        var before = await Stats.SettledManagedMemoryAsync() - state.OwnBytes;
        var threadsBefore = ThreadPool.ThreadCount;

        state.ResetCounters();
        var t0 = Stopwatch.GetTimestamp();
        var scrapes = await ChurnWithScraperAsync(app, state, keys, operations);
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;

        await SettleAsync(app);
        var endpoints = app.Store.Count;
        var loopsMinusEndpoints = app.Statistics.RunningLoops - endpoints;
        var trackedMinusEndpoints = app.Scheduler.LoopCount - endpoints;

        await FillAllAsync(app, state, keys);
        await SettleAsync(app);
        var after = await Stats.SettledManagedMemoryAsync() - state.OwnBytes;
        var threadsAfter = ThreadPool.ThreadCount;
        await RemoveAllAsync(app, state, keys);
        await SettleAsync(app);
        var emptyAfter = await Stats.SettledManagedMemoryAsync() - state.OwnBytes;
        var drift = (after - before) * 100.0 / before;

        var stale = state.Stale;
        var met = stale == 0 && Math.Abs(drift) <= 5 && loopsMinusEndpoints == 0 && trackedMinusEndpoints == 0;
        return new ScenarioResult("churn", stale, "stale series", "0 stale; memory within 5%; loops == endpoints", met)
            .With("memory_drift_percent", drift)
            .With("loops_minus_endpoints", loopsMinusEndpoints)
            .With("memory_drift_bytes", after - before)
            .With("memory_drift_bytes_empty_registry", emptyAfter - emptyBefore)
            .With("operations_per_second", operations / seconds)
            .With("operations", operations)
            .With("scrapes", scrapes)
            .With("series_checked", state.SeriesChecked)
            .With("endpoints_at_end", endpoints)
            .With("tracked_loops_minus_endpoints", trackedMinusEndpoints)
            .With("managed_bytes_before", before)
            .With("managed_bytes_after", after)
            .With("managed_bytes_empty_registry_before", emptyBefore)
            .With("managed_bytes_empty_registry_after", emptyAfter)
            .With("threads", Threads)
            .With("thread_pool_threads_before", threadsBefore)
            .With("thread_pool_threads_after", threadsAfter);
    }

    private static async Task<int> ChurnWithScraperAsync(BenchApp app, ChurnState state, KeyState[][] keys, int operations)
    {
        using var done = new CancellationTokenSource();
        var scraper = Task.Run(() => ScrapeAsync(app, state, done.Token));
        var workers = new Task[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var thread = t;
            var count = operations / Threads + (thread < operations % Threads ? 1 : 0);
            workers[t] = Task.Run(() => WorkAsync(app, state, thread, keys[thread], count));
        }

        await Task.WhenAll(workers);
        await done.CancelAsync();
        return await scraper;
    }

    private static async Task WorkAsync(BenchApp app, ChurnState state, int thread, KeyState[] keys, int operations)
    {
        var random = new Random(thread);
        for (var i = 0; i < operations; i++)
        {
            var k = random.Next(keys.Length);
            var key = keys[k];
            if (key.Rev == 0)
            {
                var rev = state.NextRev();
                await app.Registry.AddAsync(Spec(thread, k, rev));
                keys[k] = new KeyState(rev);
            }
            else if (random.Next(2) == 0)
            {
                var rev = state.NextRev();
                await app.Registry.UpdateAsync(Dependency(thread), Host(k), 5432, Spec(thread, k, rev));
                state.Ended(key.Rev);
                keys[k] = new KeyState(rev);
            }
            else
            {
                await app.Registry.RemoveAsync(Dependency(thread), Host(k), 5432);
                state.Ended(key.Rev);
                keys[k] = default;
            }
        }
    }

    private static async Task RemoveAllAsync(BenchApp app, ChurnState state, KeyState[][] keys)
    {
        for (var t = 0; t < keys.Length; t++)
        {
            for (var k = 0; k < keys[t].Length; k++)
            {
                if (keys[t][k].Rev != 0)
                {
                    await app.Registry.RemoveAsync(Dependency(t), Host(k), 5432);
                    state.Ended(keys[t][k].Rev);
                    keys[t][k] = default;
                }
            }
        }
    }

    private static async Task FillAllAsync(BenchApp app, ChurnState state, KeyState[][] keys)
    {
        for (var t = 0; t < keys.Length; t++)
        {
            for (var k = 0; k < keys[t].Length; k++)
            {
                if (keys[t][k].Rev == 0)
                {
                    var rev = state.NextRev();
                    await app.Registry.AddAsync(Spec(t, k, rev));
                    keys[t][k] = new KeyState(rev);
                }
            }
        }
    }

    /// <summary>Loops start on the thread pool; give the last ones a moment to be counted.</summary>
    private static async Task SettleAsync(BenchApp app)
    {
        var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        while (app.Statistics.RunningLoops != app.Store.Count && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static async Task<int> ScrapeAsync(BenchApp app, ChurnState state, CancellationToken done)
    {
        var uri = app.Url("/metrics");
        var scrapes = 0;
        while (!done.IsCancellationRequested)
        {
            var startedAt = state.Clock;
            using (var response = await state.Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None))
            {
                await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
                var length = await state.ReadAllAsync(body);
                state.Check(length, startedAt);
            }

            scrapes++;
        }

        return scrapes;
    }

    private static string Dependency(int thread) => $"churn-{thread}";

    private static string Host(int key) => $"h{key}";

    private static EndpointSpec Spec(int thread, int key, long rev) => new()
    {
        Dependency = Dependency(thread),
        Type = "tcp",
        Host = Host(key),
        Port = 5432,
        Critical = false,
        Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["rev"] = rev.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        CheckerFactory = NoopChecker.Factory,
    };

    private readonly record struct KeyState(long Rev);

    /// <summary>When each registration ended (was replaced or removed), on a logical clock ticked by every completed change.</summary>
    private sealed class ChurnState(int capacity) : IDisposable
    {
        private readonly long[] _endedAt = new long[capacity];
        private byte[] _body = new byte[1024 * 1024];
        private long _clock;
        private long _rev;
        private long _stale;
        private long _seriesChecked;

        public long Clock => Interlocked.Read(ref _clock);

        public long Stale => Interlocked.Read(ref _stale);

        public long SeriesChecked => Interlocked.Read(ref _seriesChecked);

        /// <summary>The scraper's client and body buffer live for the whole scenario, so they weigh the same in both memory readings.</summary>
        public HttpClient Client { get; } = LoadDriver.CreateClient(1);

        public long NextRev() => Interlocked.Increment(ref _rev);

        public void Dispose() => Client.Dispose();

        /// <summary>The benchmark's own arrays, left out of the memory readings.</summary>
        public long OwnBytes => (_endedAt.Length * sizeof(long)) + _body.Length;

        public async Task<int> ReadAllAsync(Stream body)
        {
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(_body.AsMemory(length))) > 0)
            {
                length += read;
                if (length == _body.Length)
                {
                    Array.Resize(ref _body, _body.Length * 2);
                }
            }

            return length;
        }

        /// <summary>Called after the registry call that replaced or removed <paramref name="rev"/> returned.</summary>
        public void Ended(long rev) => Volatile.Write(ref _endedAt[rev], Interlocked.Increment(ref _clock));

        public void ResetCounters()
        {
            Interlocked.Exchange(ref _stale, 0);
            Interlocked.Exchange(ref _seriesChecked, 0);
        }

        /// <summary>Counts the series of registrations that had ended before the scrape started.</summary>
        public void Check(int length, long scrapeStartedAt)
        {
            long stale = 0, seen = 0;
            var text = _body.AsSpan(0, length);
            while (!text.IsEmpty)
            {
                var end = text.IndexOf((byte)'\n');
                var line = end < 0 ? text : text[..end];
                text = end < 0 ? default : text[(end + 1)..];
                var at = line.IndexOf("rev=\""u8);
                if (at < 0)
                {
                    continue;
                }

                if (!Utf8Parser.TryParse(line[(at + 5)..], out long rev, out _))
                {
                    throw new InvalidOperationException("a rev label that is not a number");
                }

                var endedAt = Volatile.Read(ref _endedAt[rev]);
                seen++;
                if (endedAt != 0 && endedAt <= scrapeStartedAt)
                {
                    stale++;
                }
            }

            Interlocked.Add(ref _stale, stale);
            Interlocked.Add(ref _seriesChecked, seen);
        }
    }
}
