using DepHealth.AspNetCore.Monitoring;

namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>An observer that falls a whole queue behind loses the oldest changes, and says so once.</summary>
[Trait("Category", "unit")]
public sealed class ObserverQueueTests
{
    private static EndpointHealthChange Change(int port) => new()
    {
        Transition = EndpointHealthTransition.FirstHealthy,
        Endpoint = new EndpointHealth
        {
            Spec = SchedulerHarness.Spec(port: port),
            State = EndpointHealthState.Healthy,
            Status = CheckDetails.Ok,
            Detail = CheckDetails.Ok,
        },
    };

    [Fact]
    public async Task An_observer_a_whole_queue_behind_loses_the_oldest_change_and_it_is_logged_once()
    {
        using var logs = new FakeLoggerProvider();
        var observer = new BlockingObserver();
        using var stopping = new CancellationTokenSource();
        var queue = new ObserverQueue(observer, logs.CreateLogger("observers"), stopping.Token);
        queue.Post(Change(1));
        await Eventually.TrueAsync(() => observer.Calls == 1, "the observer is blocked in its first call");

        // A full queue, then two more: the two oldest queued (ports 2 and 3) are dropped.
        for (var port = 2; port <= ObserverQueue.Capacity + 3; port++)
        {
            queue.Post(Change(port));
        }

        observer.Release();
        await Eventually.TrueAsync(() => observer.Changes.Count == ObserverQueue.Capacity + 1, "the observer caught up");

        Assert.Equal([1, 4, 5], observer.Changes.Take(3).Select(c => c.Endpoint.Spec.Port));
        Assert.Contains($"{ObserverQueue.Capacity} changes behind", Assert.Single(logs.WithEventId(1008)).Message, StringComparison.Ordinal);
        await stopping.CancelAsync();
    }
}
