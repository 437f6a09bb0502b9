using System.Text.Json;
using DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Sqlite.Tests;

/// <summary>
/// Kept results in the sqlite file: the store reads back what it saved, and a TestWebApp restarted on the same file shows
/// the old history and last result in details while readiness waits for a fresh check.
/// </summary>
[Trait("Category", "unit")]
public sealed class SqliteHistoryTests
{
    private const string Key = "orders-db:127.0.0.1:5432";

    private static EndpointKey KeyOf(string dependency) => new(dependency, "127.0.0.1", 5432);

    /// <summary>An app on <paramref name="path"/> with one critical endpoint checked every second by <paramref name="check"/>.</summary>
    private static Task<TestWebApp> StartAsync(string path, Func<EndpointSpec, CancellationToken, ValueTask<CheckResult>> check, TimeProvider? time = null) =>
        TestWebApp.StartAsync(
            configure: o =>
            {
                o.CheckInterval = TimeSpan.FromSeconds(1);
                o.Timeout = TimeSpan.FromMilliseconds(500);
            },
            dependencies: b => b.AddSqliteRegistryStore(path).AddCheck("orders-db", "tcp", "127.0.0.1", 5432, critical: true, check),
            time: time);

    /// <summary>
    /// The restarted app's clock: manual, so its first check stays in flight (no timeout fires) until the test releases
    /// it; it starts at the real time, after the first app's results.
    /// </summary>
    private static TimerTrackingTimeProvider Manual() => new(DateTimeOffset.UtcNow);

    private static async Task<JsonElement> DetailsAsync(TestWebApp app)
    {
        var (_, body) = await app.GetAsync("/health/details?history=true");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(Key).Clone();
    }

    private static string[] Details(JsonElement endpoint) =>
        [.. endpoint.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("detail").GetString()!)];

    [Fact]
    public async Task Saved_states_read_back_after_the_file_is_reopened()
    {
        using var file = new SqliteFile();
        await using (var store = new SqliteEndpointStore(file.Path))
        {
            await store.SaveStatesAsync([new(KeyOf("a"), [1, 2, 3]), new(KeyOf("b"), [4])], [], CancellationToken.None);
            await store.SaveStatesAsync([new(KeyOf("a"), [5, 6])], [], CancellationToken.None);
        }

        await using var reopened = new SqliteEndpointStore(file.Path);
        var states = await reopened.LoadStatesAsync(CancellationToken.None);

        Assert.Equal([5, 6], states[KeyOf("a")]);
        Assert.Equal([4], states[KeyOf("b")]);
    }

    [Fact]
    public async Task Removed_keys_are_deleted_from_the_file()
    {
        using var file = new SqliteFile();
        await using var store = new SqliteEndpointStore(file.Path);
        await store.SaveStatesAsync([new(KeyOf("a"), [1]), new(KeyOf("b"), [2])], [], CancellationToken.None);

        await store.SaveStatesAsync([], [KeyOf("a")], CancellationToken.None);

        Assert.Equal([KeyOf("b")], (await store.LoadStatesAsync(CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task Restarted_app_shows_the_saved_history_and_last_result_until_its_fresh_check()
    {
        using var file = new SqliteFile();
        await using (var first = await StartAsync(file.Path, (_, _) => ValueTask.FromResult(CheckResult.Healthy)))
        {
            await Eventually.ValueAsync(() => DetailsAsync(first), d => d.GetProperty("history").GetArrayLength() >= 2, "the first app checked twice");
        }

        var release = new TaskCompletionSource();
        await using var second = await StartAsync(file.Path, async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CheckResult.Unhealthy(CheckDetails.ConnectionRefused, "refused after the restart");
        }, Manual());

        var restored = await DetailsAsync(second);
        release.SetResult();

        Assert.True(restored.GetProperty("restored").GetBoolean());
        Assert.True(restored.GetProperty("healthy").GetBoolean());
        Assert.Equal("ok", restored.GetProperty("detail").GetString());
        Assert.NotEqual(JsonValueKind.Null, restored.GetProperty("last_checked_at").ValueKind);
        Assert.All(Details(restored), d => Assert.Equal("ok", d));
        Assert.True(Details(restored).Length >= 2);
    }

    [Fact]
    public async Task Restarted_app_is_not_ready_until_a_fresh_check_despite_a_restored_healthy_result()
    {
        using var file = new SqliteFile();
        await using (var first = await StartAsync(file.Path, (_, _) => ValueTask.FromResult(CheckResult.Healthy)))
        {
            await Eventually.ValueAsync(() => first.GetAsync("/health/ready"), r => r.Status == 200, "the first app is ready");
        }

        var release = new TaskCompletionSource();
        await using var second = await StartAsync(file.Path, async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CheckResult.Healthy;
        }, Manual());

        var beforeFreshCheck = await second.GetAsync("/health/ready");
        var restored = await DetailsAsync(second);
        release.SetResult();

        Assert.Equal(503, beforeFreshCheck.Status);
        Assert.True(restored.GetProperty("healthy").GetBoolean());
        await Eventually.ValueAsync(() => second.GetAsync("/health/ready"), r => r.Status == 200, "ready after the fresh check");
        var fresh = await DetailsAsync(second);
        Assert.False(fresh.TryGetProperty("restored", out _));
    }
}
