using System.Buffers;
using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Probes;
using Microsoft.AspNetCore.Builder;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: <c>GET /metrics</c> at 1,000 and 10,000 endpoints (custom labels on all), against the floor: the same
/// bytes, rendered once beforehand, written to the same response stream by the same server.
/// </summary>
internal static class ScrapeScenario
{
    /// <summary>Scrapes before measuring, so that tiered JIT has compiled the hot path as a running server would have.</summary>
    private const int WarmUp = 10;

    public static async Task<ScenarioResult> RunAsync()
    {
        var small = await MeasureAsync(1_000, Bench.Count(100, 30));
        var large = await MeasureAsync(10_000, Bench.Count(30, 10));
        return new ScenarioResult("scrape", large.Ratio, "x floor", "<= 3x the floor at 10,000 endpoints", large.Ratio <= 3)
            .With("ms_at_10000", large.OursMs)
            .With("floor_ms_at_10000", large.FloorMs)
            .With("bytes_at_10000", large.Bytes)
            .With("render_ms_in_process_at_10000", large.RenderMs)
            .With("allocated_bytes_per_render_at_10000", large.RenderAllocated)
            .With("extra_process_allocated_bytes_per_scrape_at_10000", large.ExtraProcessAllocated)
            .With("ratio_at_1000", small.Ratio)
            .With("ms_at_1000", small.OursMs)
            .With("floor_ms_at_1000", small.FloorMs)
            .With("bytes_at_1000", small.Bytes)
            .With("render_ms_in_process_at_1000", small.RenderMs)
            .With("allocated_bytes_per_render_at_1000", small.RenderAllocated)
            .With("scrapes_at_10000", Bench.Count(30, 10));
    }

    /// <summary>Starts an app with <paramref name="endpointCount"/> checked endpoints whose state no longer changes.</summary>
    internal static async Task<BenchApp> StartStaticFleetAsync(int endpointCount, Action<WebApplication>? map = null)
    {
        var app = await BenchApp.StartOursAsync(
            o =>
            {
                // One check each, then nothing changes during the measurement: every scrape renders the same bytes.
                o.CheckInterval = TimeSpan.FromMinutes(10);
                o.MaxConcurrentChecks = 1_000;
            },
            map: map);
        for (var i = 0; i < endpointCount; i++)
        {
            await app.Registry.AddAsync(Endpoints.Spec(i, NoopChecker.Factory));
        }

        await Endpoints.WaitUntilAsync(() => Endpoints.WithResult(app.Store) == endpointCount, TimeSpan.FromSeconds(60), "every endpoint is checked");
        return app;
    }

    private static async Task<Measurement> MeasureAsync(int endpointCount, int scrapes)
    {
        byte[] floor = [];
        await using var app = await StartStaticFleetAsync(endpointCount, a => a.MapGet("/metrics-floor", async context =>
        {
            context.Response.ContentType = PrometheusExposition.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.BodyWriter.WriteAsync(floor, context.RequestAborted);
        }));

        // In process: the render alone into a reused buffer, its time and its own allocations.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024 * 1024);
        app.Exposition.Render(buffer);
        floor = buffer.WrittenSpan.ToArray();
        var renderMs = new List<double>();
        long renderAllocated = 0;
        for (var i = 0; i < scrapes + WarmUp; i++)
        {
            buffer.ResetWrittenCount();
            var allocated0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            app.Exposition.Render(buffer);
            var t1 = Stopwatch.GetTimestamp();
            if (i >= WarmUp)
            {
                renderMs.Add(Stats.Ms(t0, t1));
                renderAllocated += GC.GetAllocatedBytesForCurrentThread() - allocated0;
            }
        }

        // Over HTTP: ours and the floor alternately, so noise from the shared machine hits both alike.
        using var client = LoadDriver.CreateClient(1);
        var scratch = new byte[256 * 1024];
        var ours = new List<double>();
        var floorMs = new List<double>();
        long oursAllocated = 0, floorAllocated = 0, bytes = 0, floorBytes = 0;
        for (var i = 0; i < scrapes + WarmUp; i++)
        {
            var (ms, allocated, length) = await TimeAsync(client, app.Url("/metrics"), scratch);
            var (fms, fallocated, flength) = await TimeAsync(client, app.Url("/metrics-floor"), scratch);
            if (i < WarmUp)
            {
                continue;
            }

            ours.Add(ms);
            floorMs.Add(fms);
            oursAllocated += allocated;
            floorAllocated += fallocated;
            bytes = length;
            floorBytes = flength;
        }

        if (bytes != floorBytes)
        {
            throw new InvalidOperationException($"/metrics sent {bytes} bytes, the floor {floorBytes}: the state changed during the measurement");
        }

        var oursMedian = Stats.Median(ours);
        var floorMedian = Stats.Median(floorMs);
        return new Measurement(
            oursMedian / floorMedian,
            oursMedian,
            floorMedian,
            bytes,
            Stats.Median(renderMs),
            renderAllocated / (double)scrapes,
            (oursAllocated - floorAllocated) / (double)scrapes);
    }

    private static async Task<(double Ms, long Allocated, long Bytes)> TimeAsync(HttpClient client, Uri uri, byte[] scratch)
    {
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var t0 = Stopwatch.GetTimestamp();
        var (status, bytes) = await LoadDriver.GetAsync(client, uri, scratch);
        var ms = Stats.Ms(t0, Stopwatch.GetTimestamp());
        if (status != 200)
        {
            throw new InvalidOperationException($"{uri} answered {status}");
        }

        return (ms, GC.GetTotalAllocatedBytes(precise: true) - allocated0, bytes);
    }

    private sealed record Measurement(double Ratio, double OursMs, double FloorMs, long Bytes, double RenderMs, double RenderAllocated, double ExtraProcessAllocated);
}

/// <summary>Scenario 6: <c>GET /health/details</c> at 10,000 endpoints, one client after another.</summary>
internal static class DetailsScenario
{
    private const int EndpointCount = 10_000;
    private const int WarmUp = 40;

    public static async Task<ScenarioResult> RunAsync()
    {
        var requests = Bench.Count(300, 100);
        byte[] floor = [];
        await using var app = await ScrapeScenario.StartStaticFleetAsync(EndpointCount, a => a.MapGet("/details-floor", async context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.BodyWriter.WriteAsync(floor, context.RequestAborted);
        }));
        var writer = (HealthDetailsWriter)app.Services.GetService(typeof(HealthDetailsWriter))!;

        // In process: the JSON writer alone, its time and allocations.
        var buffer = new ArrayBufferWriter<byte>(16 * 1024 * 1024);
        var writeMs = new List<double>();
        long writeAllocated = 0;
        // Warm-up runs first (excluded), so that tiered JIT has compiled the hot path as a running server would have.
        for (var i = 0; i < WarmUp + 20; i++)
        {
            buffer.ResetWrittenCount();
            var allocated0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            writer.Write(buffer);
            var t1 = Stopwatch.GetTimestamp();
            if (i >= WarmUp)
            {
                writeMs.Add(Stats.Ms(t0, t1));
                writeAllocated += GC.GetAllocatedBytesForCurrentThread() - allocated0;
            }
        }

        floor = buffer.WrittenSpan.ToArray();
        using var client = LoadDriver.CreateClient(1);
        var scratch = new byte[256 * 1024];
        var latencies = new List<double>(requests);
        var floorLatencies = new List<double>(requests);
        long bytes = 0;
        var cpu0 = 0.0;
        for (var i = 0; i < requests + WarmUp; i++)
        {
            if (i == WarmUp)
            {
                cpu0 = Stats.ProcessCpuMicroseconds();
            }

            var t0 = Stopwatch.GetTimestamp();
            var (status, length) = await LoadDriver.GetAsync(client, app.Url("/health/details"), scratch);
            var ms = Stats.Ms(t0, Stopwatch.GetTimestamp());
            if (status != 200)
            {
                throw new InvalidOperationException($"/health/details answered {status}");
            }

            // The same bytes from a buffer, alternately: what the machine's noise does to any 3 MB response.
            var f0 = Stopwatch.GetTimestamp();
            await LoadDriver.GetAsync(client, app.Url("/details-floor"), scratch);
            var floorMs = Stats.Ms(f0, Stopwatch.GetTimestamp());
            if (i >= WarmUp)
            {
                latencies.Add(ms);
                floorLatencies.Add(floorMs);
                bytes = length;
            }
        }

        // Both kinds of request ran in this window; the floor's own CPU is not separated out.
        var cpuMsPerQuery = (Stats.ProcessCpuMicroseconds() - cpu0) / 1000 / requests;
        var p99 = Stats.Percentile(latencies, 99);
        return new ScenarioResult("details-query", p99, "ms", "p99 < 50 ms at 10,000 endpoints", p99 < 50)
            .With("p50_ms", Stats.Percentile(latencies, 50))
            .With("max_ms", latencies.Max())
            .With("floor_p50_ms", Stats.Percentile(floorLatencies, 50))
            .With("floor_p99_ms", Stats.Percentile(floorLatencies, 99))
            .With("process_cpu_ms_per_query_and_floor", cpuMsPerQuery)
            .With("bytes", bytes)
            .With("write_ms_in_process", Stats.Median(writeMs))
            .With("allocated_bytes_per_write", writeAllocated / 20.0)
            .With("requests", requests);
    }
}
