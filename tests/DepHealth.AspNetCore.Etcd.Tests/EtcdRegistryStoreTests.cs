using System.Diagnostics;
using DepHealth.AspNetCore.Etcd.Tests.Infrastructure;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.Replica;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>
/// Two replicas in one process share a registry through the etcd of build/deps.sh (a unique prefix per test): what one
/// changes through its API the other monitors.
/// </summary>
[Trait("Category", "integration")]
public sealed class EtcdRegistryStoreTests
{
    private static string Series(int port) => $"dependency=\"storage\",type=\"tcp\",host=\"127.0.0.1\",port=\"{port}\"";

    [Fact]
    public async Task Endpoint_added_on_one_replica_is_in_the_others_metrics_within_3_seconds()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await Eventually.TrueAsync(() => b.Store.IsWatching, "the second replica watches the registry");

        // Both apps have served a request and a scrape (their first compiles the pipeline and the exposition): that JIT
        // is no part of the time to propagate.
        Assert.DoesNotContain(Series(listener.Port), await a.MetricsAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Series(listener.Port), await b.MetricsAsync(), StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);
        await Eventually.ValueAsync(b.MetricsAsync, m => m.Contains(Series(listener.Port), StringComparison.Ordinal), "the other replica exports the endpoint", TimeSpan.FromSeconds(3));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal(a.Spec(listener.Port), b.Spec(listener.Port));
        Assert.Equal(EndpointSource.Runtime, b.App.Registry.GetAll().Single().Source);
    }

    [Fact]
    public async Task Update_on_one_replica_is_applied_on_the_other()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);
        await Eventually.TrueAsync(() => b.Spec(listener.Port) is not null, "the other replica has the endpoint");

        Assert.Equal(200, (await a.PutAsync(listener.Port, Tcp(listener.Port, ",\"labels\":{\"zone\":\"b\"}"))).Status);

        await Eventually.ValueAsync(b.MetricsAsync, m => m.Contains(Series(listener.Port) + ",critical=\"no\",zone=\"b\"", StringComparison.Ordinal), "the other replica exports the new label");
        Assert.Equal(a.Spec(listener.Port), b.Spec(listener.Port));
    }

    [Fact]
    public async Task Update_that_moves_an_endpoint_to_another_port_moves_it_on_the_other_replica()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var first = new SilentListener();
        await using var second = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(first.Port))).Status);
        await Eventually.TrueAsync(() => b.Spec(first.Port) is not null, "the other replica has the endpoint");

        Assert.Equal(200, (await a.PutAsync(first.Port, Tcp(second.Port))).Status);

        await Eventually.TrueAsync(() => b.Spec(second.Port) is not null && b.Spec(first.Port) is null, "the other replica moved it");
        await Eventually.ValueAsync(b.MetricsAsync, m => m.Contains(Series(second.Port), StringComparison.Ordinal) && !m.Contains(Series(first.Port), StringComparison.Ordinal), "only the new port is exported");
    }

    [Fact]
    public async Task Delete_on_one_replica_removes_the_endpoint_and_its_series_on_the_other()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);
        await Eventually.ValueAsync(b.MetricsAsync, m => m.Contains(Series(listener.Port), StringComparison.Ordinal), "the other replica exports the endpoint");

        Assert.Equal(204, (await a.DeleteAsync(listener.Port)).Status);

        await Eventually.ValueAsync(b.MetricsAsync, m => !m.Contains(Series(listener.Port), StringComparison.Ordinal), "the other replica's series are gone");
        Assert.Null(b.Spec(listener.Port));
        Assert.Equal("{}", await b.DetailsAsync());
    }

    [Fact]
    public async Task Concurrent_conflicting_updates_converge_to_one_value_on_both_replicas()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);
        await Eventually.TrueAsync(() => b.Spec(listener.Port) is not null, "the other replica has the endpoint");

        var outcomes = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            // Both replicas update the same key at the same moment, each with its own value.
            var results = await Task.WhenAll(
                a.PutAsync(listener.Port, Tcp(listener.Port, $",\"labels\":{{\"writer\":\"a{round}\"}}")),
                b.PutAsync(listener.Port, Tcp(listener.Port, $",\"labels\":{{\"writer\":\"b{round}\"}}")));
            outcomes.AddRange(results.Select(r => r.Status));
            Assert.All(results, r => Assert.True(r.Status is 200 or 409, $"{r.Status}: {r.Body}"));
            Assert.Contains(results, r => r.Status == 200);

            // etcd holds one value; both replicas converge to it.
            using var client = EtcdTestKit.EtcdClientFor(EtcdTestKit.SharedUrl);
            var stored = await client.RangeAsync(a.Store.KeyOf(new EndpointKey("storage", "127.0.0.1", listener.Port)));
            var writer = System.Text.Json.JsonDocument.Parse(Assert.Single(stored.Kvs).Value).RootElement.GetProperty("labels").GetProperty("writer").GetString();
            await Eventually.TrueAsync(
                () => a.Spec(listener.Port)?.Labels["writer"] == writer && b.Spec(listener.Port)?.Labels["writer"] == writer,
                $"both replicas run the stored value {writer} (round {round})");
        }

        // Where the two updates really overlapped, etcd's revision order let exactly one through.
        Assert.Contains(200, outcomes);
    }

    [Fact]
    public async Task Replica_started_later_monitors_the_endpoints_already_stored()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port, ",\"failureThreshold\":2"))).Status);

        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix);

        Assert.Equal(a.Spec(listener.Port), b.Spec(listener.Port));
        await Eventually.ValueAsync(b.DetailsAsync, d => d.Contains("\"healthy\":true", StringComparison.Ordinal), "the new replica checks it");
    }

    [Fact]
    public async Task Configuration_endpoint_wins_over_a_stored_endpoint_with_the_same_key_on_its_replica()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        await using var b = await StartAsync(EtcdTestKit.SharedUrl, prefix, o =>
            o.Dependencies["storage"] = new DependencyOptions { Type = "tcp", Host = "127.0.0.1", Port = listener.Port, Critical = true });

        Assert.Equal(201, (await a.PostAsync(Tcp(listener.Port))).Status);

        await Eventually.TrueAsync(() => b.App.Logs.WithEventId(2002).Any(l => l.Message.Contains("configuration, which wins", StringComparison.Ordinal)), "the other replica reports the clash");
        var endpoint = Assert.Single(b.App.Registry.GetAll());
        Assert.Equal(EndpointSource.Configuration, endpoint.Source);
        Assert.True(endpoint.Spec.Critical);
    }

    [Fact]
    public async Task Stored_values_hold_the_credentials_the_api_never_shows()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var a = await StartAsync(EtcdTestKit.SharedUrl, prefix);
        var (status, body) = await a.PostAsync("{\"dependency\":\"api\",\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":9,\"critical\":false,\"options\":{\"BearerToken\":\"s3cret-token\"}}");

        Assert.Equal(201, status);
        Assert.DoesNotContain("s3cret-token", body, StringComparison.Ordinal);
        using var client = EtcdTestKit.EtcdClientFor(EtcdTestKit.SharedUrl);
        var stored = await client.RangeAsync(a.Store.KeyOf(new EndpointKey("api", "127.0.0.1", 9)));
        Assert.Contains("\"BearerToken\":\"s3cret-token\"", Assert.Single(stored.Kvs).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", a.App.Logs.AllText(), StringComparison.Ordinal);
    }
}
