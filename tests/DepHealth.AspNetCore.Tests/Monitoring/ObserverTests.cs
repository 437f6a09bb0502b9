namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>Observers hear every health transition, in order, off the check loops.</summary>
[Trait("Category", "unit")]
public sealed class ObserverTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static SchedulerHarness Harness(Action<IDependencyHealthBuilder> observers) => new(dependencies: observers);

    /// <summary>Lets the loop of the one endpoint run its next check.</summary>
    private static async Task NextCheckAsync(SchedulerHarness harness, long done, string dependency = "api", int port = 8080)
    {
        await harness.WaitForChecksAsync(dependency, "127.0.0.1", port, done);
        harness.Time.Advance(Interval);
        await harness.WaitForChecksAsync(dependency, "127.0.0.1", port, done + 1);
    }

    [Fact]
    public async Task An_observer_hears_the_first_healthy_result()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenSucceed()));

        await observer.WaitForAsync(1);

        var change = Assert.Single(observer.Changes);
        Assert.Equal(EndpointHealthTransition.FirstHealthy, change.Transition);
        Assert.Equal((EndpointHealthState.Healthy, "ok"), (change.Endpoint.State, change.Endpoint.Detail));
    }

    [Fact]
    public async Task An_observer_hears_an_endpoint_become_unhealthy_with_its_detail()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        var checker = new ScriptedChecker(harness.Time).ThenSucceed().ThenFail(CheckDetails.ConnectionRefused);
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await NextCheckAsync(harness, 1);
        await observer.WaitForAsync(2);

        var change = observer.Changes[1];
        Assert.Equal(EndpointHealthTransition.BecameUnhealthy, change.Transition);
        Assert.Equal(
            (EndpointHealthState.Unhealthy, "connection_error", "connection_refused", new EndpointKey("api", "127.0.0.1", 8080)),
            (change.Endpoint.State, change.Endpoint.Status, change.Endpoint.Detail, change.Endpoint.Key));
    }

    [Fact]
    public async Task An_observer_hears_an_endpoint_recover()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        var checker = new ScriptedChecker(harness.Time).ThenFail(CheckDetails.Timeout).ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await NextCheckAsync(harness, 1);
        await observer.WaitForAsync(2);

        Assert.Equal(
            [(EndpointHealthTransition.BecameUnhealthy, "timeout"), (EndpointHealthTransition.Recovered, "ok")],
            observer.Changes.Select(c => (c.Transition, c.Endpoint.Detail)));
    }

    [Fact]
    public async Task A_check_that_changes_no_health_notifies_nobody()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenSucceed()));

        await NextCheckAsync(harness, 1);
        await NextCheckAsync(harness, 2);
        await harness.Registry.RemoveAsync("api", "127.0.0.1", 8080);
        await observer.WaitForAsync(2);

        // The removal is delivered after whatever the checks posted, so nothing else is still on its way.
        Assert.Equal([EndpointHealthTransition.FirstHealthy, EndpointHealthTransition.Removed], observer.Changes.Select(c => c.Transition));
    }

    [Fact]
    public async Task An_observer_hears_an_endpoint_removed_with_its_last_state()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenFail(CheckDetails.DnsError)));
        await observer.WaitForAsync(1);

        await harness.Registry.RemoveAsync("api", "127.0.0.1", 8080);
        await observer.WaitForAsync(2);

        var change = observer.Changes[1];
        Assert.Equal((EndpointHealthTransition.Removed, EndpointHealthState.Unhealthy, "dns_error"), (change.Transition, change.Endpoint.State, change.Endpoint.Detail));
    }

    [Fact]
    public async Task Replacing_an_endpoint_under_the_same_key_is_not_a_removal()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenSucceed()));
        await observer.WaitForAsync(1);

        await harness.Registry.UpdateAsync("api", "127.0.0.1", 8080, SchedulerHarness.Spec(critical: false, checker: new ScriptedChecker(harness.Time).ThenFail()));
        await observer.WaitForAsync(2);

        Assert.Equal([EndpointHealthTransition.FirstHealthy, EndpointHealthTransition.BecameUnhealthy], observer.Changes.Select(c => c.Transition));
    }

    [Fact]
    public async Task A_throwing_observer_is_logged_and_keeps_receiving()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<ThrowingOnceObserver>());
        var observer = harness.Services.GetRequiredService<ThrowingOnceObserver>();
        var checker = new ScriptedChecker(harness.Time).ThenFail().ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await NextCheckAsync(harness, 1);
        await Eventually.TrueAsync(() => observer.Changes.Count == 1, "the observer received the recovery");

        var log = Assert.Single(harness.Logs.WithEventId(1007));
        Assert.Contains(nameof(ThrowingOnceObserver), log.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(log.Exception);
        Assert.Equal(EndpointHealthTransition.Recovered, Assert.Single(observer.Changes).Transition);
    }

    [Fact]
    public async Task A_blocked_observer_does_not_delay_other_endpoints_checks()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<BlockingObserver>());
        var observer = harness.Services.GetRequiredService<BlockingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "flaky", checker: new ScriptedChecker(harness.Time).ThenFail()));
        await Eventually.TrueAsync(() => observer.Calls == 1, "the observer is blocked in its first call");
        await harness.Registry.AddAsync(SchedulerHarness.Spec(dependency: "steady", checker: new ScriptedChecker(harness.Time).ThenSucceed()));

        await NextCheckAsync(harness, 1, "steady");
        await NextCheckAsync(harness, 2, "steady");

        Assert.Equal(1, observer.Calls);
        observer.Release();
        await Eventually.TrueAsync(() => observer.Changes.Count == 2, "the observer caught up");
    }

    [Fact]
    public async Task A_blocked_observer_does_not_delay_other_observers()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<BlockingObserver>().AddDependencyHealthObserver<RecordingObserver>());
        var blocked = harness.Services.GetRequiredService<BlockingObserver>();
        var recording = harness.Services.GetRequiredService<RecordingObserver>();
        var checker = new ScriptedChecker(harness.Time).ThenFail().ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await NextCheckAsync(harness, 1);
        await recording.WaitForAsync(2);

        Assert.Equal(1, blocked.Calls);
        blocked.Release();
    }

    [Fact]
    public async Task Adding_the_same_observer_twice_registers_it_once()
    {
        await using var harness = Harness(b => b.AddDependencyHealthObserver<RecordingObserver>().AddDependencyHealthObserver<RecordingObserver>());

        Assert.Single(harness.Services.GetServices<IDependencyHealthObserver>());
    }
}
