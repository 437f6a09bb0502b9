using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>Throws on its first call; keeps what it is told after that.</summary>
public sealed class ThrowingOnceObserver : IDependencyHealthObserver
{
    private readonly ConcurrentQueue<EndpointHealthChange> _changes = new();
    private int _calls;

    public IReadOnlyList<EndpointHealthChange> Changes => [.. _changes];

    public Task OnHealthChangedAsync(EndpointHealthChange change, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            throw new InvalidOperationException("observer bug");
        }

        _changes.Enqueue(change);
        return Task.CompletedTask;
    }
}
