using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>Blocks every call until released; counts its calls.</summary>
public sealed class BlockingObserver : IDependencyHealthObserver
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<EndpointHealthChange> _changes = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<EndpointHealthChange> Changes => [.. _changes];

    public void Release() => _release.TrySetResult();

    public async Task OnHealthChangedAsync(EndpointHealthChange change, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await _release.Task.WaitAsync(cancellationToken);

        _changes.Enqueue(change);
    }
}
