namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>The monitor's snapshot shows what <c>/health/details</c> shows, as immutable objects.</summary>
[Trait("Category", "unit")]
public sealed class SnapshotTests
{
    private static readonly EndpointKey Api = new("api", "127.0.0.1", 8080);

    private static IDependencyHealthMonitor Monitor(SchedulerHarness harness) => harness.Services.GetRequiredService<IDependencyHealthMonitor>();

    [Fact]
    public async Task An_endpoint_not_checked_yet_is_unknown()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(critical: false, checker: new ScriptedChecker(harness.Time)));

        var endpoint = Assert.Single(Monitor(harness).GetSnapshot().Endpoints);

        Assert.Equal(
            (Api, EndpointHealthState.Unknown, "unknown", "unknown", TimeSpan.Zero, (DateTimeOffset?)null, false, false),
            (endpoint.Key, endpoint.State, endpoint.Status, endpoint.Detail, endpoint.Latency, endpoint.LastCheckedAt, endpoint.IsFlapping, endpoint.IsCritical));
    }

    [Fact]
    public async Task A_checked_endpoint_shows_its_result_and_when_it_was_checked()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).Then(ct => new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(250), harness.Time, ct)));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the check started");

        harness.Time.Advance(TimeSpan.FromMilliseconds(250));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        var endpoint = Assert.Single(Monitor(harness).GetSnapshot().Endpoints);
        Assert.Equal(
            (EndpointHealthState.Healthy, "ok", "ok", TimeSpan.FromMilliseconds(250), harness.Time.GetUtcNow(), true),
            (endpoint.State, endpoint.Status, endpoint.Detail, endpoint.Latency, endpoint.LastCheckedAt, endpoint.IsCritical));
    }

    [Fact]
    public async Task A_failed_endpoint_is_unhealthy_with_its_status_and_detail()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenFail(CheckDetails.AuthError)));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        var endpoint = Assert.Single(Monitor(harness).GetSnapshot().Endpoints);

        Assert.Equal((EndpointHealthState.Unhealthy, "auth_error", "auth_error"), (endpoint.State, endpoint.Status, endpoint.Detail));
    }

    [Fact]
    public async Task A_removed_endpoint_leaves_the_snapshot()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time)));
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "cache", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        await harness.Registry.RemoveAsync("api", "127.0.0.1", 8080);

        Assert.Equal([new EndpointKey("cache", "127.0.0.1", 8080)], Monitor(harness).GetSnapshot().Endpoints.Select(e => e.Key));
        Assert.False(Monitor(harness).TryGetEndpoint(Api, out _));
    }

    [Fact]
    public async Task Endpoints_are_ordered_by_key()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "orders", checker: new ScriptedChecker(harness.Time)));
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "cache", port: 9000, checker: new ScriptedChecker(harness.Time)));
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "cache", port: 80, checker: new ScriptedChecker(harness.Time)));

        Assert.Equal(["cache:127.0.0.1:80", "cache:127.0.0.1:9000", "orders:127.0.0.1:8080"], Monitor(harness).GetSnapshot().Endpoints.Select(e => e.Key.ToString()));
    }

    [Fact]
    public async Task One_endpoint_can_be_read_without_the_others()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenFail(CheckDetails.Timeout)));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        Assert.True(Monitor(harness).TryGetEndpoint(Api, out var endpoint));
        Assert.Equal((EndpointHealthState.Unhealthy, "timeout"), (endpoint.State, endpoint.Detail));
    }

    [Fact]
    public async Task A_snapshot_does_not_change_when_the_endpoint_does()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenSucceed().ThenFail()));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        var before = Monitor(harness).GetSnapshot();

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 2);

        Assert.Equal(EndpointHealthState.Healthy, Assert.Single(before.Endpoints).State);
        Assert.Equal(EndpointHealthState.Unhealthy, Assert.Single(Monitor(harness).GetSnapshot().Endpoints).State);
    }
}
