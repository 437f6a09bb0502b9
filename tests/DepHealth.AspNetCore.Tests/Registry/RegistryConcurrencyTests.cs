
namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>Concurrent add/remove/update/scrape from many threads: no unexpected exceptions, loops = endpoints at the end.</summary>
[Trait("Category", "unit")]
public sealed class RegistryConcurrencyTests
{
    [Fact]
    public async Task Concurrent_changes_and_scrapes_leave_running_loops_equal_to_registered_endpoints()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time);
        await harness.StartAsync();
        using var stop = new CancellationTokenSource();
        var unexpected = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var operations = 0;

        var scraper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = harness.RenderMetrics();
                _ = harness.Registry.GetAll();
                await Task.Yield();
            }
        });

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 400; i++)
            {
                var key = random.Next(20);
                var host = $"h{random.Next(3)}";
                try
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{key}", host, critical: random.Next(2) == 0, checker: checker));
                            break;
                        case 1:
                            await harness.Registry.RemoveAsync($"dep-{key}", host, 8080);
                            break;
                        default:
                            await harness.Registry.UpdateAsync($"dep-{key}", host, 8080, SchedulerHarness.Spec($"dep-{key}", $"h{random.Next(3)}", critical: random.Next(2) == 0, checker: checker));
                            break;
                    }
                }
                catch (Exception e) when (e is EndpointConflictException or EndpointNotFoundException)
                {
                    // Expected outcomes of racing changes to the same keys.
                }
                catch (Exception e)
                {
                    unexpected.Enqueue(e);
                }

                Interlocked.Increment(ref operations);
            }
        })).ToArray();

        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await scraper;

        Assert.Empty(unexpected);
        Assert.Equal(3200, operations);
        await Eventually.TrueAsync(() => harness.Statistics.RunningLoops == harness.Registry.GetAll().Count, "running loops equal registered endpoints");
        Assert.Equal(harness.Store.Count, harness.Scheduler.LoopCount);

        foreach (var endpoint in harness.Registry.GetAll())
        {
            await harness.Registry.RemoveAsync(endpoint.Spec.Dependency, endpoint.Spec.Host, endpoint.Spec.Port);
        }

        Assert.Equal(0, harness.Statistics.RunningLoops);
        Assert.DoesNotContain("app_dependency_health{", harness.RenderMetrics(), StringComparison.Ordinal);
    }
}
