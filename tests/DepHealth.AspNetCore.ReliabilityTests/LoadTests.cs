using System.Diagnostics;
using System.Net;
using DepHealth.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// 10,000 endpoints, /metrics scraped 10 times a second and probes at 1,000 requests a second over real loopback
/// sockets: no errors, no thread-pool starvation (probe p99 under 10 ms), memory flat.
/// </summary>
public sealed class LoadTests
{
    private const int Endpoints = 10_000;

    [Fact]
    public async Task Ten_thousand_endpoints_under_scrapes_and_probes_stay_fast_and_flat()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDependencyHealth(o =>
        {
            o.Name = "load";
            o.Group = "test";
            o.CheckInterval = TimeSpan.FromSeconds(5);
            o.Timeout = TimeSpan.FromSeconds(1);
            o.MaxConcurrentChecks = 1000;
        });
        await using var app = builder.Build();
        app.MapDependencyHealthProbes();
        app.MapDependencyHealthMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var registry = app.Services.GetRequiredService<IEndpointRegistry>();
        var noop = new ScriptedChecker(TimeProvider.System);
        Func<IServiceProvider, IDependencyChecker> factory = _ => noop;
        for (var i = 0; i < Endpoints; i++)
        {
            await registry.AddAsync(new EndpointSpec
            {
                Dependency = $"dep-{i % 100}",
                Type = "tcp",
                Host = $"host-{i}",
                Port = 1000 + (i % 50),
                Critical = i % 10 == 0,
                Labels = new Dictionary<string, string> { ["zone"] = $"z{i % 3}", ["shard"] = $"s{i % 7}" },
                CheckerFactory = factory,
            });
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(address) };
        await Eventually.TrueAsync(() => noop.Calls >= Endpoints, "every endpoint was checked once", TimeSpan.FromSeconds(60));
        await WarmUpAsync(client);
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var duration = ReliabilityDurations.Load;
        using var stop = new CancellationTokenSource(duration);
        var errors = 0;
        var probeLatencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var scrapes = 0;
        var scraper = Task.Run(async () =>
        {
            // Ten scrapes a second, like ten Prometheus servers at 1 s: a scrape starts every 100 ms whether or not the
            // previous one has finished (at most four at once).
            using var inFlight = new SemaphoreSlim(4);
            var running = new List<Task>();
            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await ticker.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
            {
                if (!inFlight.Wait(0))
                {
                    continue;
                }

                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), HttpCompletionOption.ResponseContentRead);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref errors);
                        }

                        Interlocked.Increment(ref scrapes);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }

            await Task.WhenAll(running);
        });
        var probers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            // 16 workers at 62.5 requests a second each: 1,000 a second.
            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(16));
            while (await ticker.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                probeLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(probers.Append(scraper));

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var sorted = probeLatencies.Order().ToArray();
        var p99 = sorted[(int)(sorted.Length * 0.99)];
        var seconds = duration.TotalSeconds;
        Assert.Equal(0, errors);
        Assert.True(sorted.Length >= seconds * 500, $"only {sorted.Length / seconds:0} probes/s were driven");
        Assert.True(scrapes >= seconds * 8, $"only {scrapes / seconds:0.#} scrapes/s were driven");
        Assert.True(p99 < 10, $"probe p99 {p99:0.00} ms over {sorted.Length} probes");
        Assert.True(memoryAfter < memoryBefore * 1.10, $"managed memory grew from {memoryBefore:N0} to {memoryAfter:N0} bytes");
        await app.StopAsync();
    }

    private static async Task WarmUpAsync(HttpClient client)
    {
        for (var i = 0; i < 20; i++)
        {
            using var probe = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            using var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        }
    }
}
