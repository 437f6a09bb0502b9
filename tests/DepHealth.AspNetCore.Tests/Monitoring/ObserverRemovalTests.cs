using DepHealth.AspNetCore.Tests.Configuration;

namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>Every way an endpoint's key leaves the registry is told as <see cref="EndpointHealthTransition.Removed"/>.</summary>
[Trait("Category", "unit")]
public sealed class ObserverRemovalTests
{
    [Fact]
    public async Task An_update_to_another_key_is_told_as_the_old_key_removed()
    {
        await using var harness = new SchedulerHarness(dependencies: b => b.AddDependencyHealthObserver<RecordingObserver>());
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time)));
        await observer.WaitForAsync(1);

        await harness.Registry.UpdateAsync("api", "127.0.0.1", 8080, SchedulerHarness.Spec(port: 9090, checker: new ScriptedChecker(harness.Time)));
        await observer.WaitForAsync(3);

        Assert.Contains(observer.Changes, c => c.Transition == EndpointHealthTransition.Removed && c.Endpoint.Key == new EndpointKey("api", "127.0.0.1", 8080));
        Assert.DoesNotContain(observer.Changes, c => c.Transition == EndpointHealthTransition.Removed && c.Endpoint.Key.Port == 9090);
    }

    [Fact]
    public async Task A_dependency_removed_by_a_reload_is_told_as_removed()
    {
        var source = ReloadTestKit.Source(("a", 1001, false, null), ("b", 1002, false, null));
        await using var harness = new SchedulerHarness(
            configuration: source.BuildConfiguration(),
            dependencies: b => b.AddDependencyHealthObserver<RecordingObserver>().Services.AddSingleton<IDependencyCheckerFactory>(new ControlledCheckerFactory()));
        var observer = harness.Services.GetRequiredService<RecordingObserver>();
        await ReloadTestKit.StartAsync(harness);
        await observer.WaitForAsync(2);

        source.Remove("DependencyHealth:Dependencies:b");
        await ReloadTestKit.ReloadAsync(harness, source);
        await observer.WaitForAsync(3);

        var removed = observer.Changes[2];
        Assert.Equal((EndpointHealthTransition.Removed, new EndpointKey("b", "127.0.0.1", 1002)), (removed.Transition, removed.Endpoint.Key));
    }
}
