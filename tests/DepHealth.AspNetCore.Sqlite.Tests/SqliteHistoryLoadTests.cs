using System.Diagnostics;
using DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;
using DepHealth.AspNetCore.State;
using Xunit.Abstractions;

namespace DepHealth.AspNetCore.Sqlite.Tests;

/// <summary>
/// The cost of one save at the scale target: 10,000 endpoints with full rings of 120 results, all checked since the last
/// save (the worst case at a save interval longer than the check interval), encoded and written in one transaction.
/// </summary>
[Trait("Category", "load")]
public sealed class SqliteHistoryLoadTests(ITestOutputHelper output)
{
    private const int Endpoints = 10_000;
    private const int Results = DependencyHistoryOptions.DefaultSize;

    private static List<HistorySample> Ring(int endpoint, DateTimeOffset end) =>
        [.. Enumerable.Range(0, Results).Select(i => new HistorySample(
            end.AddSeconds(-15 * (Results - i)).AddMilliseconds(endpoint % 1000),
            i % 17 != 0,
            i % 17 == 0 ? CheckDetails.Timeout : CheckDetails.Ok,
            0.0005 + ((endpoint + i) % 200) / 100_000d))];

    private static List<(EndpointKey Key, List<HistorySample> Ring)> Rings(DateTimeOffset end) =>
        [.. Enumerable.Range(0, Endpoints).Select(e => (new EndpointKey($"dep-{e / 10}", $"host-{e}.svc", 5432), Ring(e, end)))];

    private static List<KeyValuePair<EndpointKey, byte[]>> Encode(List<(EndpointKey Key, List<HistorySample> Ring)> rings) =>
        [.. rings.Select(r => new KeyValuePair<EndpointKey, byte[]>(r.Key, EndpointHistoryCodec.Encode(r.Ring)))];

    [Fact]
    public async Task Saving_10000_full_histories_takes_under_five_seconds_and_restoring_them_under_five()
    {
        using var file = new SqliteFile();
        var end = DateTimeOffset.UtcNow;
        await using var store = new SqliteEndpointStore(file.Path);
        await store.SaveStatesAsync(Encode(Rings(end.AddMinutes(-30))), [], CancellationToken.None);
        var rings = Rings(end);

        var save = Stopwatch.StartNew();
        var states = Encode(rings);
        var encoded = save.Elapsed;
        await store.SaveStatesAsync(states, [], CancellationToken.None);
        save.Stop();

        var load = Stopwatch.StartNew();
        var loaded = await store.LoadStatesAsync(CancellationToken.None);
        var samples = loaded.Values.Sum(bytes => EndpointHistoryCodec.Decode(bytes).Count);
        load.Stop();

        var bytes = states.Sum(s => s.Value.Length);
        var fileBytes = new FileInfo(file.Path).Length + (File.Exists(file.Path + "-wal") ? new FileInfo(file.Path + "-wal").Length : 0);
        output.WriteLine($"save: {save.ElapsedMilliseconds} ms ({encoded.TotalMilliseconds:0} ms encoding), {bytes / Endpoints} bytes per endpoint, {bytes / 1024} KiB per save");
        output.WriteLine($"restore: {load.ElapsedMilliseconds} ms for {samples} results; file with WAL {fileBytes / 1024} KiB");
        Assert.Equal(Endpoints * Results, samples);
        Assert.True(save.Elapsed < TimeSpan.FromSeconds(5), $"a save took {save.ElapsedMilliseconds} ms");
        Assert.True(load.Elapsed < TimeSpan.FromSeconds(5), $"a restore took {load.ElapsedMilliseconds} ms");
    }
}
