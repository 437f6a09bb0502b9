using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>The registry with a store: local runtime changes are written first; the store's feed is applied like local changes.</summary>
[Trait("Category", "unit")]
public sealed class RegistryStoreTests
{
    private static EndpointSpec Tcp(int port, string dependency = "storage", string host = "127.0.0.1") =>
        new() { Dependency = dependency, Type = "tcp", Host = host, Port = port, Critical = false };

    private static async Task<(SchedulerHarness Harness, FakeEndpointStore Store)> StartAsync(Action<DependencyHealthOptions>? configure = null)
    {
        var store = new FakeEndpointStore();
        var harness = new SchedulerHarness(
            configure: o =>
            {
                o.Registry.Store = "etcd";
                configure?.Invoke(o);
            },
            dependencies: b => EndpointStoreRegistration.Add(b.Services, "etcd", _ => store));
        await harness.StartAsync();
        return (harness, store);
    }

    private static EndpointEntryRef Entry(SchedulerHarness harness, int port) =>
        harness.Store.TryGet(new EndpointKey("storage", "127.0.0.1", port), out var entry) ? new(entry.Spec, entry.Generation) : new(null, 0);

    /// <summary>Whether the store's change <paramref name="change"/> (operation and key) was applied and audited.</summary>
    private static bool Audited(SchedulerHarness harness, string change) =>
        harness.Logs.WithEventId(2001).Any(l => l.Message.Contains(change, StringComparison.Ordinal) && l.Message.Contains("by store", StringComparison.Ordinal));

    private sealed record EndpointEntryRef(EndpointSpec? Spec, long Generation);

    [Fact]
    public async Task Local_runtime_change_is_stored_and_configuration_endpoints_are_not()
    {
        var (harness, store) = await StartAsync(o => o.Dependencies["configured"] = new DependencyOptions { Type = "tcp", Host = "127.0.0.1", Port = 1, Critical = false });
        await using var _ = harness;

        await harness.Registry.AddAsync(Tcp(2));

        Assert.Equal([new EndpointKey("storage", "127.0.0.1", 2)], store.Stored.Keys);
    }

    [Fact]
    public async Task Unavailable_store_fails_the_change_and_nothing_is_registered()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;
        store.Unavailable = true;

        var error = await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => harness.Registry.AddAsync(Tcp(3)));

        Assert.Contains("registry store unavailable", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Registry.GetAll());
        Assert.Single(harness.Logs.WithEventId(2002), l => l.Message.Contains("unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feed_put_of_a_new_key_registers_it_as_a_runtime_endpoint()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;

        store.Publish(Tcp(4), Tcp(4).Key);

        // The audit event follows the registration: wait for both.
        await Eventually.TrueAsync(
            () => Entry(harness, 4).Spec is not null && harness.Logs.WithEventId(2001).Any(l => l.Message.Contains("by store", StringComparison.Ordinal)),
            "the endpoint from the feed is registered and audited");
        Assert.Equal(EndpointSource.Runtime, Assert.Single(harness.Registry.GetAll()).Source);
        Assert.Single(harness.Logs.WithEventId(2001), l => l.Message.Contains("by store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feed_put_of_a_changed_spec_replaces_the_endpoint_blue_green()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;
        await harness.Registry.AddAsync(Tcp(5));
        var before = Entry(harness, 5);

        store.Publish(Tcp(5) with { FailureThreshold = 3 }, Tcp(5).Key);

        // The new entry is in the store before the old loop is unscheduled; the audit entry comes last.
        await Eventually.TrueAsync(
            () => Entry(harness, 5).Spec?.FailureThreshold == 3 && Audited(harness, "update of storage:127.0.0.1:5"),
            "the new spec runs and the update is done");
        Assert.True(Entry(harness, 5).Generation > before.Generation);
        Assert.Equal(1, harness.Scheduler.LoopCount);
    }

    [Fact]
    public async Task Feed_delete_removes_the_endpoint_and_its_series()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;
        await harness.Registry.AddAsync(Tcp(6));
        await harness.WaitForChecksAsync("storage", "127.0.0.1", 6, 1);
        Assert.Contains("port=\"6\"", harness.RenderMetrics(), StringComparison.Ordinal);

        store.Publish(null, Tcp(6).Key);

        // The entry leaves the store before its loop is unscheduled; the audit entry comes last.
        await Eventually.TrueAsync(
            () => Entry(harness, 6).Spec is null && Audited(harness, "remove of storage:127.0.0.1:6"),
            "the endpoint is removed and the removal is done");
        Assert.DoesNotContain("port=\"6\"", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Scheduler.LoopCount);
    }

    [Fact]
    public async Task Feed_echo_of_a_local_write_changes_nothing()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;
        await harness.Registry.AddAsync(Tcp(7));
        var before = Entry(harness, 7);
        var stored = store.Stored[Tcp(7).Key];

        store.Send(EndpointStoreChange.Put(stored.Spec, stored.Version));
        store.Publish(Tcp(70), Tcp(70).Key);
        await Eventually.TrueAsync(() => Entry(harness, 70).Spec is not null, "the feed got past the echo");

        Assert.Equal(before.Generation, Entry(harness, 7).Generation);
    }

    [Fact]
    public async Task Feed_change_older_than_a_local_write_is_skipped()
    {
        var (harness, store) = await StartAsync();
        await using var _ = harness;
        await harness.Registry.AddAsync(Tcp(8));
        var firstVersion = store.Stored[Tcp(8).Key].Version;
        await harness.Registry.UpdateAsync("storage", "127.0.0.1", 8, Tcp(8) with { SuccessThreshold = 2 });

        // The feed delivers the first write only now, after the update: it must not bring the old spec back.
        store.Send(EndpointStoreChange.Put(Tcp(8), firstVersion));
        store.Publish(Tcp(80), Tcp(80).Key);
        await Eventually.TrueAsync(() => Entry(harness, 80).Spec is not null, "the feed got past the old change");

        Assert.Equal(2, Entry(harness, 8).Spec!.SuccessThreshold);
    }

    [Fact]
    public async Task Feed_endpoint_refused_by_this_replicas_host_rules_is_rejected_and_audited()
    {
        var (harness, store) = await StartAsync(o => o.Registry.DeniedHosts.Add("127.0.0.2"));
        await using var _ = harness;

        store.Publish(Tcp(9, host: "127.0.0.2"), Tcp(9, host: "127.0.0.2").Key);
        store.Publish(Tcp(90), Tcp(90).Key);
        await Eventually.TrueAsync(() => Entry(harness, 90).Spec is not null, "the feed got past the refused change");

        Assert.Single(harness.Registry.GetAll());
        Assert.Single(harness.Logs.WithEventId(2002), l => l.Message.Contains("127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reset_makes_runtime_endpoints_match_the_store_and_keeps_configuration_ones()
    {
        var (harness, store) = await StartAsync(o => o.Dependencies["configured"] = new DependencyOptions { Type = "tcp", Host = "127.0.0.1", Port = 1, Critical = false });
        await using var _ = harness;
        await harness.Registry.AddAsync(Tcp(10));
        await harness.Registry.AddAsync(Tcp(11));

        store.Send(EndpointStoreChange.Reset(new EndpointStoreSnapshot([new StoredEndpoint(Tcp(11) with { FailureThreshold = 4 }, 50), new StoredEndpoint(Tcp(12), 51)], 51)));

        await Eventually.TrueAsync(() => Entry(harness, 12).Spec is not null, "the reset is applied");
        Assert.Equal(["configured:127.0.0.1:1", "storage:127.0.0.1:11", "storage:127.0.0.1:12"], harness.Registry.GetAll().Select(e => e.Spec.Key.ToString()));
        Assert.Equal(4, Entry(harness, 11).Spec!.FailureThreshold);
    }

    [Fact]
    public async Task Stored_endpoints_are_registered_at_startup()
    {
        var store = new FakeEndpointStore();
        await store.AddAsync(Tcp(13), CancellationToken.None);
        await using var harness = new SchedulerHarness(
            configure: o => o.Registry.Store = "etcd",
            dependencies: b => EndpointStoreRegistration.Add(b.Services, "etcd", _ => store));

        await harness.StartAsync();

        Assert.Equal(Tcp(13), Assert.Single(harness.Registry.GetAll()).Spec);
        Assert.Single(harness.Logs.WithEventId(6001));
    }
}
