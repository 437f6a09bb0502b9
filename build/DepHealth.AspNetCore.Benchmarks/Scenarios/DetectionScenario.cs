using System.Diagnostics;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenario 8: a TCP dependency's listener is stopped (connections refused, as when its process dies) at a random
/// point of the check cycle; the time until a scrape of <c>/metrics</c> reads <c>app_dependency_health</c> 0. Then it is
/// started again on the same port; the time until it reads 1.
/// </summary>
internal static class DetectionScenario
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    public static async Task<ScenarioResult> RunAsync()
    {
        var trials = Bench.Count(5, 2);
        var listener = new CountingListener();
        var port = listener.Port;
        await using var app = await BenchApp.StartOursAsync(
            o =>
            {
                o.CheckInterval = Interval;
                o.Timeout = Timeout;
            },
            d => d.AddTcp("db", "127.0.0.1", port, critical: true));
        using var client = LoadDriver.CreateClient(1);
        var metrics = app.Url("/metrics");
        if (await WaitForHealthAsync(client, metrics, "1", TimeSpan.FromSeconds(10)) is null)
        {
            throw new InvalidOperationException("the dependency never became healthy");
        }

        var detections = new List<double>();
        var recoveries = new List<double>();
        try
        {
            for (var trial = 0; trial < trials; trial++)
            {
                // A random phase of the check cycle.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)) + Interval);
                var killed = Stopwatch.GetTimestamp();
                await listener.DisposeAsync();
                var down = await WaitForHealthAsync(client, metrics, "0", TimeSpan.FromSeconds(10));
                detections.Add(down is { } d ? Stopwatch.GetElapsedTime(killed, d).TotalSeconds : double.PositiveInfinity);

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)) + Interval);
                var restarted = Stopwatch.GetTimestamp();
                listener = new CountingListener(port);
                var up = await WaitForHealthAsync(client, metrics, "1", TimeSpan.FromSeconds(10));
                recoveries.Add(up is { } u ? Stopwatch.GetElapsedTime(restarted, u).TotalSeconds : double.PositiveInfinity);
            }
        }
        finally
        {
            await listener.DisposeAsync();
        }

        var budget = (Interval + Timeout).TotalSeconds;
        var worst = Math.Max(detections.Max(), recoveries.Max());
        var value = worst - budget;
        return new ScenarioResult("detection", value, "s over interval+timeout", "<= 0.2 s over interval + timeout (1.5 s)", value <= 0.2)
            .With("worst_detection_s", detections.Max())
            .With("worst_recovery_s", recoveries.Max())
            .With("mean_detection_s", detections.Average())
            .With("mean_recovery_s", recoveries.Average())
            .With("trials", trials)
            .With("scrape_poll_ms", 10);
    }

    /// <summary>Scrapes every 10 ms until the health gauge of <c>db</c> reads <paramref name="value"/>; the timestamp of that scrape's start.</summary>
    private static async Task<long?> WaitForHealthAsync(HttpClient client, Uri metrics, string value, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var started = Stopwatch.GetTimestamp();
            var text = await client.GetStringAsync(metrics);
            if (HealthOf(text) == value)
            {
                return started;
            }

            await Task.Delay(10);
        }

        return null;
    }

    private static string? HealthOf(string exposition)
    {
        foreach (var line in exposition.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("app_dependency_health{") && line.Contains("dependency=\"db\"", StringComparison.Ordinal))
            {
                return line[(line.LastIndexOf(' ') + 1)..].ToString();
            }
        }

        return null;
    }
}
