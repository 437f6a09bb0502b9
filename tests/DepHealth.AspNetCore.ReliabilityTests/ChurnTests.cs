using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Registry operations from many threads racing with scrapes and with the checks of the endpoints being changed: no
/// removed endpoint ever reappears in a later scrape, running loops equal registered endpoints at every quiescent point,
/// no exceptions, and managed memory returns to its baseline.
/// </summary>
[Trait("Category", "unit")]
[Collection(MemorySensitive.Name)]
public sealed partial class ChurnTests
{
    private const int Threads = 8;
    private const int KeysPerThread = 25;

    [Fact]
    public async Task Racing_registry_operations_never_resurrect_series_nor_leak_loops_or_memory()
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromMilliseconds(500);
        }, time: TimeProvider.System);

        // Checks really run while endpoints change: each takes a moment and yields.
        var checker = new ScriptedChecker(TimeProvider.System).Then(async ct => await Task.Delay(1, ct));
        Func<IServiceProvider, IDependencyChecker> factory = _ => checker;
        await harness.StartAsync();

        // Each key is owned by one thread, so its operations are ordered; its state says whether it is registered and
        // in which epoch (bumped on every remove).
        var states = new ConcurrentDictionary<string, (bool Registered, int Epoch)>();
        var unexpected = new ConcurrentQueue<Exception>();
        var stale = new ConcurrentQueue<string>();
        var operations = ReliabilityDurations.ChurnOperations;

        await RoundAsync(harness, factory, states, unexpected, stale, operations / 2);
        await RemoveAllAsync(harness, states);

        // The test's own recorders (captured logs, call times) grow with every operation; only the package is measured.
        harness.Logs.Collector.Clear();
        checker.CallTimes.Clear();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        await RoundAsync(harness, factory, states, unexpected, stale, operations / 2);
        await RemoveAllAsync(harness, states);
        harness.Logs.Collector.Clear();
        checker.CallTimes.Clear();
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Empty(unexpected);
        Assert.Empty(stale);
        Assert.Equal(0, harness.Statistics.RunningLoops);
        Assert.Empty(harness.Registry.GetAll());
        Assert.DoesNotContain("app_dependency_health{", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.True(after <= (baseline * 1.05) + (2 * 1024 * 1024), $"managed memory {baseline:N0} before and {after:N0} bytes after");
    }

    private static async Task RoundAsync(
        SchedulerHarness harness,
        Func<IServiceProvider, IDependencyChecker> factory,
        ConcurrentDictionary<string, (bool Registered, int Epoch)> states,
        ConcurrentQueue<Exception> unexpected,
        ConcurrentQueue<string> stale,
        int operations)
    {
        using var stop = new CancellationTokenSource();
        var scraper = Task.Run(() => ScrapeUntilStoppedAsync(harness, states, stale, stop.Token));
        var perThread = operations / Threads;
        var workers = Enumerable.Range(0, Threads).Select(thread => Task.Run(async () =>
        {
            var random = new Random(thread);
            for (var i = 0; i < perThread; i++)
            {
                var key = $"t{thread}-k{random.Next(KeysPerThread)}";
                var state = states.GetValueOrDefault(key);
                try
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            // Marked registered before the call: from its start the endpoint may legitimately appear.
                            states[key] = (true, state.Epoch);
                            await harness.Registry.AddAsync(Spec(key, "a", factory, critical: random.Next(2) == 0 && !state.Registered));
                            break;
                        case 1:
                            await harness.Registry.RemoveAsync(key, "a", 1);
                            states[key] = (false, state.Epoch + 1);
                            break;
                        default:
                            if (state.Registered)
                            {
                                await harness.Registry.UpdateAsync(key, "a", 1, Spec(key, "a", factory, critical: random.Next(2) == 0));
                            }

                            break;
                    }
                }
                catch (EndpointConflictException)
                {
                    // An add with a different critical flag over an existing key: expected, nothing changed (it was
                    // registered already, as the state says).
                }
                catch (Exception exception)
                {
                    unexpected.Enqueue(exception);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await scraper;

        // A quiescent point: every registered endpoint has exactly one loop.
        await Eventually.TrueAsync(() => harness.Statistics.RunningLoops == harness.Registry.GetAll().Count, "running loops equal registered endpoints");
        Assert.Equal(states.Count(s => s.Value.Registered), harness.Registry.GetAll().Count);
    }

    private static async Task ScrapeUntilStoppedAsync(
        SchedulerHarness harness,
        ConcurrentDictionary<string, (bool Registered, int Epoch)> states,
        ConcurrentQueue<string> stale,
        CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var before = new Dictionary<string, (bool Registered, int Epoch)>(states);
            var text = harness.RenderMetrics();
            var present = DependencyLabel().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (var key in present)
            {
                // Removed before the scrape began and still removed in the same epoch after it: must not be there.
                if (before.TryGetValue(key, out var was) && !was.Registered
                    && states.TryGetValue(key, out var now) && !now.Registered && now.Epoch == was.Epoch)
                {
                    stale.Enqueue($"{key} (epoch {was.Epoch})");
                }
            }

            await Task.Yield();
        }
    }

    private static async Task RemoveAllAsync(SchedulerHarness harness, ConcurrentDictionary<string, (bool Registered, int Epoch)> states)
    {
        foreach (var endpoint in harness.Registry.GetAll())
        {
            await harness.Registry.RemoveAsync(endpoint.Spec.Dependency, endpoint.Spec.Host, endpoint.Spec.Port);
            var state = states.GetValueOrDefault(endpoint.Spec.Dependency);
            states[endpoint.Spec.Dependency] = (false, state.Epoch + 1);
        }

        Assert.Equal(0, harness.Statistics.RunningLoops);
    }

    private static EndpointSpec Spec(string dependency, string host, Func<IServiceProvider, IDependencyChecker> factory, bool critical) =>
        new() { Dependency = dependency, Type = "tcp", Host = host, Port = 1, Critical = critical, CheckerFactory = factory };

    [GeneratedRegex("app_dependency_health\\{[^}]*dependency=\"([^\"]+)\"")]
    private static partial Regex DependencyLabel();
}
