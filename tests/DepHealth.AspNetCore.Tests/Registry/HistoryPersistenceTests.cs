using System.Buffers;
using System.Text;
using System.Text.Json;
using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>
/// Each endpoint's kept results are written to a store that keeps states (the fake one here) in batches and at
/// shutdown, and restored into details at the next start, while readiness and metrics wait for a fresh check.
/// </summary>
[Trait("Category", "unit")]
public sealed class HistoryPersistenceTests
{
    private const string Key = "db:127.0.0.1:5432";

    private static SchedulerHarness Harness(
        FakeEndpointStore store, IDependencyChecker checker, Action<DependencyHealthOptions>? configure = null, IDependencyChecker? cache = null) =>
        new(
            configure: o =>
            {
                o.Registry.Store = "etcd";
                configure?.Invoke(o);
            },
            dependencies: b =>
            {
                EndpointStoreRegistration.Add(b.Services, "etcd", _ => store);
                b.AddChecker("db", "tcp", "127.0.0.1", 5432, critical: true, _ => checker);
                if (cache is not null)
                {
                    // Checked once, then not for ten minutes.
                    b.AddChecker("cache", "tcp", "127.0.0.1", 6379, critical: false, _ => cache, d => d.CheckInterval = TimeSpan.FromMinutes(10));
                }
            });

    /// <summary>A first run that checks three times (ok, ok, refused) and shuts down; the store keeps what it saved.</summary>
    private static async Task<FakeEndpointStore> StoreAfterAFirstRunAsync()
    {
        var store = new FakeEndpointStore();
        var checker = new ScriptedChecker(TimeProvider.System).ThenSucceed().ThenSucceed().ThenFail(CheckDetails.ConnectionRefused);
        await using var first = Harness(store, checker);
        await first.StartAsync();
        await first.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        first.Time.Advance(TimeSpan.FromSeconds(10));
        await first.WaitForChecksAsync("db", "127.0.0.1", 5432, 2);
        first.Time.Advance(TimeSpan.FromSeconds(10));
        await first.WaitForChecksAsync("db", "127.0.0.1", 5432, 3);
        await first.StopAsync();
        return store;
    }

    /// <summary>A checker whose checks never complete: the restarted app has no fresh result until the test says so.</summary>
    private static ScriptedChecker Held(TaskCompletionSource release) =>
        new ScriptedChecker(TimeProvider.System).Then(async ct => await release.Task.WaitAsync(ct));

    private static JsonElement Details(SchedulerHarness harness)
    {
        var buffer = new ArrayBufferWriter<byte>();
        harness.Services.GetRequiredService<HealthDetailsWriter>().Write(buffer, includeHistory: true);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.GetProperty(Key).Clone();
    }

    private static Task<HealthCheckResult> ReadinessAsync(SchedulerHarness harness)
    {
        var readiness = harness.Services.GetRequiredService<ReadinessHealthCheck>();
        return readiness.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("ready", readiness, HealthStatus.Unhealthy, null) });
    }

    private static EndpointHistoryPersistence Persistence(SchedulerHarness harness) => harness.Services.GetRequiredService<EndpointHistoryPersistence>();

    [Fact]
    public async Task Shutdown_saves_every_checked_endpoint()
    {
        var store = await StoreAfterAFirstRunAsync();

        var saved = Assert.Single(store.States);

        Assert.Equal(Key, saved.Key.ToString());
        Assert.Equal(3, DepHealth.AspNetCore.State.EndpointHistoryCodec.Decode(saved.Value).Count);
    }

    [Fact]
    public async Task Details_after_a_restart_show_the_saved_history_and_last_result_marked_restored()
    {
        var store = await StoreAfterAFirstRunAsync();
        var release = new TaskCompletionSource();
        await using var second = Harness(store, Held(release));
        await second.StartAsync();

        var details = Details(second);
        release.SetResult();

        Assert.False(details.GetProperty("healthy").GetBoolean());
        Assert.Equal("connection_refused", details.GetProperty("detail").GetString());
        Assert.NotEqual(JsonValueKind.Null, details.GetProperty("last_checked_at").ValueKind);
        Assert.True(details.GetProperty("restored").GetBoolean());
        Assert.Equal(["ok", "ok", "connection_refused"], details.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Readiness_after_a_restart_waits_for_a_fresh_check_despite_a_restored_healthy_result()
    {
        var store = new FakeEndpointStore();
        await using (var first = Harness(store, new ScriptedChecker(TimeProvider.System).ThenSucceed()))
        {
            await first.StartAsync();
            await first.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        }

        var release = new TaskCompletionSource();
        await using var second = Harness(store, Held(release));
        await second.StartAsync();

        var beforeFreshCheck = await ReadinessAsync(second);
        Assert.True(Details(second).GetProperty("healthy").GetBoolean());
        release.SetResult();
        await second.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        var afterFreshCheck = await ReadinessAsync(second);

        Assert.Equal(HealthStatus.Unhealthy, beforeFreshCheck.Status);
        Assert.Equal([Key], (IEnumerable<string>)beforeFreshCheck.Data[ReadinessHealthCheck.PendingKey]);
        Assert.Equal(HealthStatus.Healthy, afterFreshCheck.Status);
    }

    [Fact]
    public async Task Metrics_after_a_restart_have_no_series_of_an_endpoint_before_its_fresh_check()
    {
        var store = await StoreAfterAFirstRunAsync();
        var release = new TaskCompletionSource();
        await using var second = Harness(store, Held(release));
        await second.StartAsync();

        var before = second.RenderMetrics();
        release.SetResult();
        await second.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        var after = second.RenderMetrics();

        Assert.DoesNotContain("dependency=\"db\"", before, StringComparison.Ordinal);
        Assert.Contains("app_dependency_health{name=\"app\",group=\"team\",dependency=\"db\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fresh_results_after_a_restart_follow_the_restored_ones_in_the_history()
    {
        var store = await StoreAfterAFirstRunAsync();
        await using var second = Harness(store, new ScriptedChecker(TimeProvider.System).ThenFail(CheckDetails.Timeout));
        await second.StartAsync();
        await second.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);

        var details = Details(second);

        Assert.False(details.TryGetProperty("restored", out _));
        Assert.Equal(["ok", "ok", "connection_refused", "timeout"], details.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Save_writes_only_the_endpoints_checked_since_the_last_save()
    {
        var store = new FakeEndpointStore();
        await using var harness = Harness(store, new ScriptedChecker(TimeProvider.System).ThenSucceed(), cache: new ScriptedChecker(TimeProvider.System));
        await harness.StartAsync();
        await harness.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        await harness.WaitForChecksAsync("cache", "127.0.0.1", 6379, 1);
        var persistence = Persistence(harness);

        var first = await persistence.SaveAsync(store, CancellationToken.None);
        var nothingNew = await persistence.SaveAsync(store, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync("db", "127.0.0.1", 5432, 2);
        var onlyDb = await persistence.SaveAsync(store, CancellationToken.None);

        Assert.Equal(2, first);
        Assert.Equal(0, nothingNew);
        Assert.Equal(1, onlyDb);
        Assert.Equal([Key], store.Saves.Last().Saved.Select(k => k.ToString()));
    }

    [Fact]
    public async Task Save_runs_every_save_interval()
    {
        var store = new FakeEndpointStore();
        await using var harness = Harness(store, new ScriptedChecker(TimeProvider.System).ThenSucceed(), o => o.History.SaveInterval = TimeSpan.FromMinutes(1));
        await harness.StartAsync();
        await harness.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        await Eventually.TrueAsync(() => harness.Time.HasTimerDueIn(TimeSpan.FromMinutes(1)), "the save timer is armed");

        var beforeInterval = store.Saves.Count;
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, beforeInterval);
        await Eventually.TrueAsync(() => store.States.ContainsKey(new EndpointKey("db", "127.0.0.1", 5432)), "the interval's save wrote the endpoint");
    }

    [Fact]
    public async Task Save_deletes_the_results_of_an_endpoint_removed_since()
    {
        var store = new FakeEndpointStore();
        await using var harness = Harness(store, new ScriptedChecker(TimeProvider.System).ThenSucceed(), cache: new ScriptedChecker(TimeProvider.System));
        await harness.StartAsync();
        await harness.WaitForChecksAsync("cache", "127.0.0.1", 6379, 1);
        var persistence = Persistence(harness);
        await persistence.SaveAsync(store, CancellationToken.None);

        await harness.Registry.RemoveAsync("cache", "127.0.0.1", 6379);
        await persistence.SaveAsync(store, CancellationToken.None);

        Assert.Equal(["cache:127.0.0.1:6379"], store.Saves.Last().Removed.Select(k => k.ToString()));
        Assert.DoesNotContain(new EndpointKey("cache", "127.0.0.1", 6379), store.States.Keys);
    }

    [Fact]
    public async Task Failed_save_is_logged_and_retried_at_the_next_save()
    {
        var store = new FakeEndpointStore { StatesUnavailable = true };
        await using var harness = Harness(store, new ScriptedChecker(TimeProvider.System).ThenSucceed());
        await harness.StartAsync();
        await harness.WaitForChecksAsync("db", "127.0.0.1", 5432, 1);
        var persistence = Persistence(harness);

        var failed = await persistence.SaveAsync(store, CancellationToken.None);
        store.StatesUnavailable = false;
        var retried = await persistence.SaveAsync(store, CancellationToken.None);

        Assert.Equal(0, failed);
        Assert.Contains("fake states", Assert.Single(harness.Logs.WithEventId(6007)).Message, StringComparison.Ordinal);
        Assert.Equal(1, retried);
    }

    [Fact]
    public async Task Unreadable_saved_results_are_logged_and_the_endpoint_starts_empty()
    {
        var store = new FakeEndpointStore();
        store.States[new EndpointKey("db", "127.0.0.1", 5432)] = Encoding.UTF8.GetBytes("not a history");
        var release = new TaskCompletionSource();
        await using var harness = Harness(store, Held(release));
        await harness.StartAsync();

        var details = Details(harness);
        release.SetResult();

        Assert.Equal(JsonValueKind.Null, details.GetProperty("healthy").ValueKind);
        Assert.Empty(details.GetProperty("history").EnumerateArray());
        Assert.Contains(Key, Assert.Single(harness.Logs.WithEventId(6006)).Message, StringComparison.Ordinal);
    }
}
