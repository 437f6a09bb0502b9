using System.Text.Json;
using DepHealth.AspNetCore.Etcd.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.EtcdTestKit;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>etcd stopped, restarted, compacted or absent: monitoring never stops and no change is lost. Each test runs its own etcd.</summary>
[Trait("Category", "integration")]
public sealed class EtcdResilienceTests
{
    private const string Prefix = "/config/app";

    [Fact]
    public async Task Etcd_stopped_and_restarted_mid_run_never_stops_monitoring_and_later_changes_still_arrive()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await using var listener = new SilentListener();
        using (var client = etcd.Client())
        {
            await client.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db", TcpDependency(listener.Port));
        }

        var reconnectClock = new TimerTrackingTimeProvider();
        using var configuration = EtcdConfiguration(etcd.Url, Prefix, ReconnectOn(reconnectClock));
        var provider = Provider(configuration);
        await using var app = await TestWebApp.StartAsync(configuration: configuration, configure: o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(1);
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });
        await Eventually.TrueAsync(() => provider.IsWatching, "the watch is established");
        var checks = await CheckCountAsync(app, "db");

        await etcd.KillAsync();
        await Eventually.TrueAsync(() => !provider.IsWatching && reconnectClock.HasTimerDueIn(ReconnectDelay), "the watch noticed etcd is gone and waits to reconnect");
        var whileDown = await Eventually.ValueAsync(() => CheckCountAsync(app, "db"), c => c >= checks + 3, "db is still checked while etcd is down");
        Assert.Equal(200, (await app.GetAsync("/health/ready")).Status);

        // Restarted etcd takes a change before the source reconnects (the test decides when): the resumed watch
        // starts from the last revision seen, so the change is not missed.
        await etcd.StartAgainAsync();
        Assert.False(provider.IsWatching);
        using (var client = etcd.Client())
        {
            await client.PutAsync($"{Prefix}/DependencyHealth/Dependencies/cache", TcpDependency(listener.Port));
        }

        await ReconnectAsync(reconnectClock, provider);
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"cache:", StringComparison.Ordinal), "the change made after the restart arrives");
        Assert.True(provider.IsWatching);
        Assert.Equal(1, provider.FullReads);

        // db is checked every second; the restart and the reload may well take less than that.
        await Eventually.ValueAsync(() => CheckCountAsync(app, "db"), c => c > whileDown, "db is still checked after the reconnect");
        await Eventually.TrueAsync(() => app.Logs.WithEventId(4001).Count == 1, "the reload's audit event is written");
    }

    [Fact]
    public async Task Compacted_revision_falls_back_to_a_full_read()
    {
        await using var etcd = await EtcdServer.StartAsync();
        using var client = etcd.Client();
        await client.PutAsync($"{Prefix}/keep", "1");
        await client.PutAsync($"{Prefix}/gone", "1");
        var reconnectClock = new TimerTrackingTimeProvider();
        using var configuration = EtcdConfiguration(etcd.Url, Prefix, ReconnectOn(reconnectClock));
        var provider = Provider(configuration);
        await Eventually.TrueAsync(() => provider.IsWatching, "the watch is established");

        // While the source is disconnected: change, delete, then compact the history it would resume from.
        await etcd.KillAsync();
        await Eventually.TrueAsync(() => !provider.IsWatching && reconnectClock.HasTimerDueIn(ReconnectDelay), "the watch noticed etcd is gone and waits to reconnect");
        await etcd.StartAgainAsync();
        await client.PutAsync($"{Prefix}/keep", "2");
        var (revision, _) = await client.DeleteAsync($"{Prefix}/gone");
        await client.PutAsync($"{Prefix}/added", "3");
        await client.CompactAsync(revision + 1);
        await ReconnectAsync(reconnectClock, provider);

        await Eventually.TrueAsync(() => configuration["added"] == "3", "the full read after compaction brought the new key");
        Assert.Equal("2", configuration["keep"]);
        Assert.Null(configuration["gone"]);
        Assert.Equal(2, provider.FullReads);

        await client.PutAsync($"{Prefix}/after", "4");
        await Eventually.TrueAsync(() => configuration["after"] == "4", "the watch goes on after the full read");
    }

    [Fact]
    public async Task Etcd_unavailable_at_startup_starts_from_the_cache_file_and_catches_up_when_etcd_comes()
    {
        var directory = Directory.CreateTempSubdirectory("dephealth-cache-").FullName;
        var cacheFile = Path.Combine(directory, "etcd-cache.json");
        try
        {
            await using var etcd = await EtcdServer.StartAsync();
            using (var client = etcd.Client())
            {
                await client.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Url", "tcp://127.0.0.1:1");
                await client.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Critical", "false");
            }

            using (EtcdConfiguration(etcd.Url, Prefix, o => o.CacheFile = cacheFile))
            {
                // The first successful read writes the cache.
            }

            Assert.True(File.Exists(cacheFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));
            }

            await etcd.KillAsync();
            var logs = new FakeLoggerProvider();
            using var configuration = EtcdConfiguration(etcd.Url, Prefix, o =>
            {
                o.CacheFile = cacheFile;
                o.LoggerFactory = LoggingTo(logs);
            });
            await using var app = await StartAppAsync(configuration);

            Assert.Equal("tcp://127.0.0.1:1", configuration["DependencyHealth:Dependencies:db:Url"]);
            Assert.Contains("\"db:127.0.0.1:1\"", await DetailsAsync(app), StringComparison.Ordinal);
            var warning = Assert.Single(logs.WithEventId(5002));
            Assert.Contains("cache file", warning.Message, StringComparison.Ordinal);

            await etcd.StartAgainAsync();
            using (var client = etcd.Client())
            {
                await client.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Url", "tcp://127.0.0.1:2");
            }

            await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"db:127.0.0.1:2\"", StringComparison.Ordinal), "etcd's values replace the cached ones", TimeSpan.FromSeconds(10));
            var cached = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(cacheFile))!;
            Assert.Equal("tcp://127.0.0.1:2", cached["DependencyHealth:Dependencies:db:Url"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Etcd_unavailable_at_startup_without_a_cache_starts_with_the_other_sources()
    {
        var port = LocalPorts.Unused();
        var logs = new FakeLoggerProvider();
        using var configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DependencyHealth:Dependencies:local:Url"] = "tcp://127.0.0.1:1", ["DependencyHealth:Dependencies:local:Critical"] = "false" })
            .AddEtcd(o =>
            {
                o.Endpoints = $"http://127.0.0.1:{port}";
                o.Prefix = Prefix;
                o.LoggerFactory = LoggingTo(logs);
            })
            .Build();
        await using var app = await StartAppAsync(configuration);

        Assert.Contains("\"local:127.0.0.1:1\"", await DetailsAsync(app), StringComparison.Ordinal);
        Assert.Contains("the other configuration sources only", Assert.Single(logs.WithEventId(5002)).Message, StringComparison.Ordinal);
    }

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(4);

    /// <summary>Reconnect delays run on <paramref name="clock"/>, so a test changes etcd before the source reconnects.</summary>
    private static Action<EtcdConfigurationOptions> ReconnectOn(TimerTrackingTimeProvider clock) => options =>
    {
        options.ReconnectDelay = ReconnectDelay;
        options.MaxReconnectDelay = ReconnectDelay;
        options.ReconnectJitter = false;
        options.ReconnectClock = clock;
    };

    /// <summary>Lets the source's reconnect delays pass until its watch is back (an attempt may fail while etcd starts).</summary>
    private static Task ReconnectAsync(TimerTrackingTimeProvider clock, EtcdConfigurationProvider provider) =>
        Eventually.TrueAsync(
            () =>
            {
                if (clock.HasTimerDueIn(ReconnectDelay))
                {
                    clock.Advance(ReconnectDelay);
                }

                return provider.IsWatching;
            },
            "the source reconnected");

    private static async Task<long> CheckCountAsync(TestWebApp app, string dependency)
    {
        var metrics = await MetricsAsync(app);
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("app_dependency_latency_seconds_count{", StringComparison.Ordinal) && l.Contains($"dependency=\"{dependency}\"", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..]);
    }
}
