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

/// <summary>Blocks in its first call until released; counts its calls.</summary>
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
        var first = Interlocked.Increment(ref _calls) == 1;
        if (first)
        {
            await _release.Task.WaitAsync(cancellationToken);
        }

        _changes.Enqueue(change);
    }
}
