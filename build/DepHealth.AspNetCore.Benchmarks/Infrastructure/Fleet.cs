using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>
/// The package's services without a web server, on the real clock: for scenarios that measure the scheduler alone,
/// so that Kestrel's own timers do not show in the process CPU time.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;

    public Fleet(Action<DependencyHealthOptions> options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDependencyHealth(o =>
        {
            o.Name = "bench";
            o.Group = "perf";
            o.InitialDelay = TimeSpan.Zero;
            options(o);
        });
        _services = services.BuildServiceProvider();
    }

    public EndpointRegistry Registry => _services.GetRequiredService<EndpointRegistry>();

    public HealthStateStore Store => _services.GetRequiredService<HealthStateStore>();

    public CheckScheduler Scheduler => _services.GetRequiredService<CheckScheduler>();

    public SchedulerStatistics Statistics => _services.GetRequiredService<SchedulerStatistics>();

    public async Task StartAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
            {
                await hosted.StopAsync(CancellationToken.None);
            }
        }

        await _services.DisposeAsync();
    }
}

/// <summary>Endpoint specs for synthetic fleets: distinct keys, two custom labels each, a shared checker.</summary>
internal static class Endpoints
{
    public static EndpointSpec Spec(int index, Func<IServiceProvider, IDependencyChecker> checker, string dependency = "dep", IReadOnlyDictionary<string, string>? labels = null) =>
        new()
        {
            Dependency = $"{dependency}-{index / 100:D4}",
            Type = "postgres",
            Host = $"db-{index % 100:D2}.{dependency}.svc.cluster.local",
            Port = 5432,
            Critical = index % 2 == 0,
            Labels = labels ?? new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["role"] = index % 3 == 0 ? "primary" : "replica",
                ["zone"] = $"zone-{index % 4}",
            },
            CheckerFactory = checker,
        };

    /// <summary>Sums every endpoint's recorded checks.</summary>
    public static long TotalChecks(HealthStateStore store)
    {
        long total = 0;
        foreach (var entry in store.Sorted())
        {
            total += entry.Read().CheckCount;
        }

        return total;
    }

    public static int WithResult(HealthStateStore store)
    {
        var count = 0;
        foreach (var entry in store.Sorted())
        {
            if (entry.Read().HasResult)
            {
                count++;
            }
        }

        return count;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>A checker that does nothing: what is left is the scheduler's own cost.</summary>
internal sealed class NoopChecker : IDependencyChecker
{
    public static readonly NoopChecker Instance = new();

    public static readonly Func<IServiceProvider, IDependencyChecker> Factory = _ => Instance;

    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) => default;
}
