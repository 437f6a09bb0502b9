using System.Diagnostics;
using System.Net;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

internal sealed record LoadResult(long Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs, long Non2xx, long Errors, long Bytes)
{
    public List<double> LatenciesMs { get; init; } = [];

    /// <summary>Several rounds as one: requests over their summed time, percentiles over all latencies.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> rounds)
    {
        var latencies = rounds.SelectMany(r => r.LatenciesMs).ToList();
        var requests = rounds.Sum(r => r.Requests);
        var seconds = rounds.Sum(r => r.Seconds);
        return new LoadResult(
            requests,
            seconds,
            requests / seconds,
            Stats.Percentile(latencies, 50),
            Stats.Percentile(latencies, 99),
            latencies.Count == 0 ? double.NaN : latencies.Max(),
            rounds.Sum(r => r.Non2xx),
            rounds.Sum(r => r.Errors),
            rounds.Sum(r => r.Bytes))
        {
            LatenciesMs = latencies,
        };
    }
}

/// <summary>
/// A closed-loop HTTP load driver over real loopback sockets: <c>workers</c> concurrent clients, each sending the next
/// request when the previous response has been read to the end, for a fixed time. Requests in flight when the time is
/// up are completed and counted.
/// </summary>
internal static class LoadDriver
{
    public static HttpClient CreateClient(int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

    public static async Task<LoadResult> RunAsync(Uri uri, int workers, TimeSpan duration, TimeSpan warmup)
    {
        using var client = CreateClient(workers);
        if (warmup > TimeSpan.Zero)
        {
            await RunWorkersAsync(client, uri, workers, warmup);
        }

        return await RunWorkersAsync(client, uri, workers, duration);
    }

    private static async Task<LoadResult> RunWorkersAsync(HttpClient client, Uri uri, int workers, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task<WorkerResult>[workers];
        for (var i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(() => WorkerAsync(client, uri, stopAt));
        }

        var results = await Task.WhenAll(tasks);
        var seconds = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
        var latencies = new List<double>(results.Sum(r => r.LatenciesMs.Count));
        foreach (var r in results)
        {
            latencies.AddRange(r.LatenciesMs);
        }

        var count = latencies.Count;
        var max = count == 0 ? double.NaN : latencies.Max();
        return new LoadResult(
            count,
            seconds,
            count / seconds,
            Stats.Percentile(latencies, 50),
            Stats.Percentile(latencies, 99),
            max,
            results.Sum(r => r.Non2xx),
            results.Sum(r => r.Errors),
            results.Sum(r => r.Bytes))
        {
            LatenciesMs = latencies,
        };
    }

    private static async Task<WorkerResult> WorkerAsync(HttpClient client, Uri uri, long stopAt)
    {
        var result = new WorkerResult();
        var buffer = new byte[64 * 1024];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                var (status, bytes) = await GetAsync(client, uri, buffer);
                result.LatenciesMs.Add(Stats.Ms(start, Stopwatch.GetTimestamp()));
                result.Bytes += bytes;
                if (status is < 200 or > 299)
                {
                    result.Non2xx++;
                }
            }
            catch (HttpRequestException)
            {
                result.Errors++;
            }
        }

        return result;
    }

    /// <summary>One GET, the body read to the end into a scratch buffer (never kept), so big responses cost the client no allocation.</summary>
    public static async Task<(int Status, long Bytes)> GetAsync(HttpClient client, Uri uri, byte[] buffer)
    {
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return ((int)response.StatusCode, total);
    }

    private sealed class WorkerResult
    {
        public List<double> LatenciesMs { get; } = new(1 << 16);

        public long Non2xx { get; set; }

        public long Errors { get; set; }

        public long Bytes { get; set; }
    }
}
