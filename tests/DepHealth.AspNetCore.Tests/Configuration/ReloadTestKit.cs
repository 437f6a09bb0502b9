using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>Drives the configuration reloader on a manual clock: wait until it is parked on its timer, then move time.</summary>
internal static class ReloadTestKit
{
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);

    public static TestConfigurationSource Source(params (string Name, int Port, bool Critical, string? Mode)[] dependencies)
    {
        var source = new TestConfigurationSource(new Dictionary<string, string?>
        {
            ["DependencyHealth:Reload:Debounce"] = "00:00:02",
            ["DependencyHealth:Reload:MinInterval"] = "00:00:10",
        });
        foreach (var (name, port, critical, mode) in dependencies)
        {
            Dependency(source, name, port, critical, mode);
        }

        return source;
    }

    public static TestConfigurationSource Dependency(TestConfigurationSource source, string name, int port, bool critical = false, string? mode = null, string host = "127.0.0.1")
    {
        var prefix = $"DependencyHealth:Dependencies:{name}";
        source.Set($"{prefix}:Type", "tcp").Set($"{prefix}:Host", host).Set($"{prefix}:Port", port.ToString()).Set($"{prefix}:Critical", critical ? "true" : "false");
        if (mode is not null)
        {
            source.Set($"{prefix}:Labels:mode", mode);
        }

        return source;
    }

    public static SchedulerHarness Harness(TestConfigurationSource source, ControlledCheckerFactory? checkers = null) =>
        new(configuration: source.BuildConfiguration(), dependencies: b => b.Services.AddSingleton<IDependencyCheckerFactory>(checkers ?? new ControlledCheckerFactory()));

    /// <summary>Starts the harness and lets the reloader's look at startup pass.</summary>
    public static async Task StartAsync(SchedulerHarness harness)
    {
        await harness.StartAsync();
        await ParkedAsync(harness);
        harness.Time.Advance(Debounce);
        await Eventually.TrueAsync(() => harness.Reloader.Cycles == 1, "the reloader looked once at startup");
    }

    /// <summary>Waits until the reloader received a change after <paramref name="signalsBefore"/> and waits on its timer.</summary>
    public static Task ParkedAsync(SchedulerHarness harness, long signalsBefore = 0) =>
        Eventually.TrueAsync(() => harness.Reloader.Signals > signalsBefore && harness.Reloader.IsWaiting, "the reloader waits for the debounce");

    /// <summary>Announces the source's changes, waits for the debounce, and waits until the reload is done.</summary>
    public static async Task ReloadAsync(SchedulerHarness harness, TestConfigurationSource source, TimeSpan? advance = null)
    {
        var signals = harness.Reloader.Signals;
        var cycles = harness.Reloader.Cycles;
        source.Reload();
        await ParkedAsync(harness, signals);
        harness.Time.Advance(advance ?? Debounce);
        await Eventually.TrueAsync(() => harness.Reloader.Cycles > cycles, "the reload was processed");
    }

    public static bool Registered(SchedulerHarness harness, string dependency, int port) =>
        harness.Registry.TryGet(new EndpointKey(dependency, "127.0.0.1", port), out _);

    public static async Task<HealthStatus> ReadinessAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        return report.Status;
    }
}
