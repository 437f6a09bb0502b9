using DepHealth.AspNetCore.Etcd.Tests.Infrastructure;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.Replica;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>The registry's etcd stops and comes back; each test runs its own etcd and never touches the shared one.</summary>
[Trait("Category", "integration")]
public sealed class EtcdRegistryOutageTests
{
    private const string Prefix = "/dephealth/outage";

    [Fact]
    public async Task Etcd_down_makes_registry_changes_answer_503_while_every_replica_keeps_monitoring()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(etcd.Url, Prefix);
        await using var b = await StartAsync(etcd.Url, Prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);
        await Eventually.TrueAsync(() => b.Spec(listener.Port) is not null, "the other replica has the endpoint");

        await etcd.KillAsync();
        await Eventually.TrueAsync(() => !a.Store.IsWatching && !b.Store.IsWatching, "both watches noticed etcd is gone");

        using (var refused = await a.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(Tcp(2))))
        {
            Assert.Equal(503, (int)refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        }

        var updated = await b.PutAsync(listener.Port, Tcp(listener.Port, ",\"failureThreshold\":2"));
        var deleted = await b.DeleteAsync(listener.Port);
        foreach (var (status, body) in new[] { updated, deleted })
        {
            Assert.Equal(503, status);
            Assert.Contains("registry store unavailable", body, StringComparison.Ordinal);
        }

        // Nothing was accepted, and both keep checking what they had.
        Assert.Single(a.App.Registry.GetAll());
        Assert.Null(b.Spec(listener.Port)!.FailureThreshold);
        var accepts = listener.Accepts;
        await Eventually.TrueAsync(() => listener.Accepts >= accepts + 4, "both replicas keep checking with etcd gone");
        Assert.Equal(200, (await a.App.GetAsync("/health/ready")).Status);
    }

    [Fact]
    public async Task Etcd_back_brings_the_changes_made_while_a_replica_was_cut_off_and_later_changes_still_propagate()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await using var first = new SilentListener();
        await using var second = new SilentListener();
        await using var third = new SilentListener();
        // The second replica reconnects when the test says (its reconnect delays run on a manual clock), so etcd takes
        // changes before its watch is back, however long etcd takes to restart.
        var reconnectClock = new TimerTrackingTimeProvider();
        await using var a = await StartAsync(etcd.Url, Prefix);
        await using var b = await StartAsync(etcd.Url, Prefix, reconnectClock: reconnectClock);
        Assert.Equal(201, (await a.PostAsync(Tcp(first.Port))).Status);
        await Eventually.TrueAsync(() => b.Spec(first.Port) is not null, "the other replica has the endpoint");

        await etcd.KillAsync();
        await Eventually.TrueAsync(
            () => !a.Store.IsWatching && !b.Store.IsWatching && reconnectClock.HasTimerDueIn(FirstReconnectDelay),
            "both watches noticed etcd is gone and the second waits to reconnect");
        Assert.Equal(503, (await a.PostAsync(Tcp(third.Port))).Status);
        await etcd.StartAgainAsync();

        // Changes through the first replica while the second is still cut off: an add and a delete.
        await Eventually.ValueAsync(() => a.PostAsync(Tcp(second.Port)), r => r.Status == 201, "the first replica writes again once etcd is back");
        Assert.Equal(204, (await a.DeleteAsync(first.Port)).Status);
        Assert.False(b.Store.IsWatching);

        await ReconnectAsync(reconnectClock, b);
        await Eventually.TrueAsync(() => b.Spec(second.Port) is not null && b.Spec(first.Port) is null, "the resumed watch brings both changes", TimeSpan.FromSeconds(15));
        Assert.True(b.Store.IsWatching);

        // The change refused during the outage exists nowhere; a change made now reaches the other replica.
        Assert.Null(a.Spec(third.Port));
        Assert.Null(b.Spec(third.Port));
        Assert.Equal(200, (await b.PutAsync(second.Port, Tcp(second.Port, ",\"labels\":{\"after\":\"outage\"}"))).Status);
        await Eventually.TrueAsync(() => a.Spec(second.Port)?.Labels.ContainsKey("after") == true, "a later change propagates");
    }

    [Fact]
    public async Task Replica_started_while_etcd_is_down_starts_and_loads_the_stored_endpoints_when_etcd_returns()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await using var listener = new SilentListener();
        await using (var writer = await StartAsync(etcd.Url, Prefix))
        {
            Assert.Equal(201, (await writer.PostAsync(Tcp(listener.Port))).Status);
        }

        await etcd.KillAsync();
        await using var late = await StartAsync(etcd.Url, Prefix);
        Assert.Empty(late.App.Registry.GetAll());
        Assert.Single(late.App.Logs.WithEventId(6002));

        await etcd.StartAgainAsync();
        await Eventually.TrueAsync(() => late.Spec(listener.Port) is not null, "the stored endpoint arrives with etcd", TimeSpan.FromSeconds(15));
        await Eventually.ValueAsync(late.DetailsAsync, d => d.Contains("\"healthy\":true", StringComparison.Ordinal), "and is checked");
    }

    /// <summary>The first reconnect delay of a replica (no jitter on a manual reconnect clock).</summary>
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Lets the replica's reconnect delays pass until its watch is back (an attempt may fail while etcd starts).</summary>
    private static Task ReconnectAsync(TimerTrackingTimeProvider clock, Replica replica) =>
        Eventually.TrueAsync(
            () =>
            {
                if (!replica.Store.IsWatching)
                {
                    clock.Advance(MaxReconnectDelay);
                }

                return replica.Store.IsWatching;
            },
            "the replica's watch reconnected");
}
