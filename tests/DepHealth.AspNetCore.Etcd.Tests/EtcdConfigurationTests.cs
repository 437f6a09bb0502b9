using System.Diagnostics;
using DepHealth.AspNetCore.Etcd.Client;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.EtcdTestKit;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>The etcd configuration source against the real etcd of build/deps.sh; every test owns a unique prefix.</summary>
[Trait("Category", "integration")]
public sealed class EtcdConfigurationTests : IAsyncLifetime
{
    private readonly string _prefix = NewPrefix();
    private EtcdClient _etcd = null!;

    public Task InitializeAsync()
    {
        _etcd = EtcdClientFor(SharedUrl);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _etcd.DeleteAsync(_prefix + "/", prefix: true);
        _etcd.Dispose();
    }

    [Fact]
    public async Task Initial_load_maps_keys_under_the_prefix_to_configuration_paths()
    {
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/pg/Url", "postgres://user:pw@db:5432/app");
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/pg/Critical", "true");
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/cache", "{\"Type\":\"tcp\",\"Host\":\"redis\",\"Port\":6379,\"Critical\":false,\"Labels\":{\"role\":\"cache\"}}");
        await _etcd.PutAsync($"{_prefix}-other/DependencyHealth/Dependencies/x/Url", "http://other");

        using var configuration = EtcdConfiguration(SharedUrl, _prefix);

        Assert.Equal("postgres://user:pw@db:5432/app", configuration["DependencyHealth:Dependencies:pg:Url"]);
        Assert.Equal("true", configuration["DependencyHealth:Dependencies:pg:Critical"]);
        Assert.Equal("6379", configuration["DependencyHealth:Dependencies:cache:Port"]);
        Assert.Equal("cache", configuration["DependencyHealth:Dependencies:cache:Labels:role"]);
        Assert.Null(configuration["DependencyHealth:Dependencies:x:Url"]);
        await _etcd.DeleteAsync($"{_prefix}-other/", prefix: true);
    }

    [Fact]
    public async Task Configured_dependencies_are_monitored_from_startup()
    {
        await using var listener = new SilentListener();
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/db", TcpDependency(listener.Port, critical: true));
        using var configuration = EtcdConfiguration(SharedUrl, _prefix);
        await using var app = await StartAppAsync(configuration);

        var details = await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"healthy\":true", StringComparison.Ordinal), "db is checked");
        Assert.Contains($"\"db:127.0.0.1:{listener.Port}\"", details, StringComparison.Ordinal);
        Assert.Equal(200, (await app.GetAsync("/health/ready")).Status);
    }

    [Fact]
    public async Task Put_makes_an_endpoint_appear_within_3_seconds_and_delete_removes_it_and_its_series()
    {
        await using var listener = new SilentListener();
        using var configuration = EtcdConfiguration(SharedUrl, _prefix);
        await using var app = await StartAppAsync(configuration);
        Assert.Equal("{}", await DetailsAsync(app));

        // Also the first scrape, which compiles the exposition: its JIT is no part of the time to appear.
        Assert.DoesNotContain("dependency=\"orders\"", await MetricsAsync(app), StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/orders", TcpDependency(listener.Port));
        await Eventually.ValueAsync(() => MetricsAsync(app), m => m.Contains("dependency=\"orders\"", StringComparison.Ordinal), "orders is monitored", TimeSpan.FromSeconds(3));
        var appeared = clock.Elapsed;

        await _etcd.DeleteAsync($"{_prefix}/DependencyHealth/Dependencies/orders");
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d == "{}", "orders is removed", TimeSpan.FromSeconds(3));

        Assert.True(appeared < TimeSpan.FromSeconds(3), $"appeared after {appeared}");

        // The reload is counted once it has been applied, just after the registry changed.
        var metrics = await Eventually.ValueAsync(() => MetricsAsync(app), m => m.Contains("app_dependency_config_reloads_total{result=\"success\"} 2", StringComparison.Ordinal), "both reloads are counted");
        Assert.DoesNotContain("dependency=\"orders\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_put_one_key_at_a_time_and_a_transaction_of_puts_are_applied()
    {
        await using var listener = new SilentListener();
        using var configuration = EtcdConfiguration(SharedUrl, _prefix);
        await using var app = await StartAppAsync(configuration);

        var key = $"{_prefix}/DependencyHealth/Dependencies/split";
        await _etcd.TxnAsync([], [
            EtcdOperation.Put($"{key}/Type", "tcp"),
            EtcdOperation.Put($"{key}/Host", "127.0.0.1"),
            EtcdOperation.Put($"{key}/Port", listener.Port.ToString()),
            EtcdOperation.Put($"{key}/Critical", "false"),
        ]);

        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains($"\"split:127.0.0.1:{listener.Port}\"", StringComparison.Ordinal), "split is monitored", TimeSpan.FromSeconds(3));
        Assert.Contains("app_dependency_config_reloads_total{result=\"failure\"} 0", await MetricsAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_value_keeps_the_previous_configuration_and_counts_a_failure()
    {
        await using var listener = new SilentListener();
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/db", TcpDependency(listener.Port));
        using var configuration = EtcdConfiguration(SharedUrl, _prefix);
        await using var app = await StartAppAsync(configuration);
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"healthy\":true", StringComparison.Ordinal), "db is checked");

        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/db/Port", "not-a-port");
        await Eventually.ValueAsync(() => MetricsAsync(app), m => m.Contains("app_dependency_config_reloads_total{result=\"failure\"} 1", StringComparison.Ordinal), "the failure is counted", TimeSpan.FromSeconds(5));

        Assert.Contains($"\"db:127.0.0.1:{listener.Port}\"", await DetailsAsync(app), StringComparison.Ordinal);
        var failures = app.Logs.WithEventId(4002);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Contains("DependencyHealth:Dependencies:db:Port: cannot be converted to Int32", f.Message, StringComparison.Ordinal));

        await _etcd.DeleteAsync($"{_prefix}/DependencyHealth/Dependencies/db/Port");
        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/db/Labels/role", "primary");
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"role\":\"primary\"", StringComparison.Ordinal), "the fixed value is applied", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Runtime_endpoint_survives_etcd_changes()
    {
        await using var listener = new SilentListener();
        using var configuration = EtcdConfiguration(SharedUrl, _prefix);
        await using var app = await StartAppAsync(configuration);
        await app.Registry.AddAsync(new EndpointSpec { Dependency = "runtime", Type = "tcp", Host = "127.0.0.1", Port = listener.Port, Critical = false });

        await _etcd.PutAsync($"{_prefix}/DependencyHealth/Dependencies/configured", TcpDependency(listener.Port));
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"configured:", StringComparison.Ordinal), "configured is monitored", TimeSpan.FromSeconds(3));
        await _etcd.DeleteAsync($"{_prefix}/", prefix: true);
        await Eventually.ValueAsync(() => DetailsAsync(app), d => !d.Contains("\"configured:", StringComparison.Ordinal), "configured is removed", TimeSpan.FromSeconds(3));

        Assert.Contains("\"runtime:", await DetailsAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_disposed_twice_stops_its_watch_once_without_an_error()
    {
        var configuration = EtcdConfiguration(SharedUrl, _prefix);
        configuration.Dispose();

        Assert.Null(Record.Exception(configuration.Dispose));
    }
}
