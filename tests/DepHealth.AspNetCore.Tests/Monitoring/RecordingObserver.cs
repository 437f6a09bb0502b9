using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>Keeps every change it is told of, in order.</summary>
public sealed class RecordingObserver : IDependencyHealthObserver
{
    private readonly ConcurrentQueue<EndpointHealthChange> _changes = new();

    public IReadOnlyList<EndpointHealthChange> Changes => [.. _changes];

    public Task OnHealthChangedAsync(EndpointHealthChange change, CancellationToken cancellationToken)
    {
        _changes.Enqueue(change);
        return Task.CompletedTask;
    }

    public Task WaitForAsync(int count) => Eventually.TrueAsync(() => _changes.Count >= count, $"the observer has {count} changes");
}
