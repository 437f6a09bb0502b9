using DepHealth.AspNetCore.Etcd.Client;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.EtcdTestKit;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>The internal client against the etcd of build/deps.sh: put, range, delete, compare-and-swap transactions, watch.</summary>
[Trait("Category", "integration")]
public sealed class EtcdClientTests : IAsyncLifetime
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
    public async Task Put_range_and_delete_round_trip_utf8_keys_and_values()
    {
        var revision = await _etcd.PutAsync($"{_prefix}/ключ", "значение ✓");
        await _etcd.PutAsync($"{_prefix}/b", "2");

        var range = await _etcd.RangeAsync(_prefix + "/", prefix: true);
        var (_, deleted) = await _etcd.DeleteAsync(_prefix + "/", prefix: true);

        Assert.True(range.Revision > revision);
        Assert.Equal([($"{_prefix}/b", "2"), ($"{_prefix}/ключ", "значение ✓")], range.Kvs.Select(k => (k.Key, k.Value)));
        Assert.Equal(2, deleted);
        Assert.Empty((await _etcd.RangeAsync(_prefix + "/", prefix: true)).Kvs);
    }

    [Fact]
    public async Task Transaction_compares_before_it_writes()
    {
        var key = $"{_prefix}/cas";
        var created = await _etcd.TxnAsync([EtcdCompare.Missing(key)], [EtcdOperation.Put(key, "v1")]);
        var again = await _etcd.TxnAsync([EtcdCompare.Missing(key)], [EtcdOperation.Put(key, "v-lost")], [EtcdOperation.Put($"{_prefix}/failure-branch", "ran")]);
        var current = (await _etcd.RangeAsync(key)).Kvs.Single();
        var swapped = await _etcd.TxnAsync([EtcdCompare.ModRevision(key, current.ModRevision)], [EtcdOperation.Put(key, "v2")]);
        var stale = await _etcd.TxnAsync([EtcdCompare.ModRevision(key, current.ModRevision)], [EtcdOperation.Delete(key)]);

        Assert.True(created.Succeeded);
        Assert.False(again.Succeeded);
        Assert.True(swapped.Succeeded);
        Assert.False(stale.Succeeded);
        Assert.Equal("v2", (await _etcd.RangeAsync(key)).Kvs.Single().Value);
        Assert.Equal("ran", (await _etcd.RangeAsync($"{_prefix}/failure-branch")).Kvs.Single().Value);
    }

    [Fact]
    public async Task Watch_streams_puts_and_deletes_from_a_revision()
    {
        var start = await _etcd.PutAsync($"{_prefix}/w/a", "1");
        await _etcd.DeleteAsync($"{_prefix}/w/a");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<EtcdWatchEvent>();
        await foreach (var message in _etcd.WatchAsync($"{_prefix}/w/", prefix: true, start, cancellationToken: timeout.Token))
        {
            events.AddRange(message.Events);
            if (events.Count >= 2)
            {
                break;
            }
        }

        Assert.Equal([(false, "1"), (true, "")], events.Select(e => (e.IsDelete, e.Value)));
        Assert.True(events[1].ModRevision > events[0].ModRevision);
    }
}
