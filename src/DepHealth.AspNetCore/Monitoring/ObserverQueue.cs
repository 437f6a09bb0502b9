using System.Threading.Channels;
using DepHealth.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Monitoring;

/// <summary>
/// One observer's changes, in order, delivered by one task of their own: posting never waits, a slow observer delays
/// only itself, and one that falls <see cref="Capacity"/> changes behind loses the oldest.
/// </summary>
internal sealed class ObserverQueue
{
    public const int Capacity = 1024;

    private readonly Channel<EndpointHealthChange> _changes;
    private readonly IDependencyHealthObserver _observer;
    private readonly ILogger _logger;
    private readonly string _name;
    private long _dropped;
    private int _behind;

    public ObserverQueue(IDependencyHealthObserver observer, ILogger logger, CancellationToken stopping)
    {
        _observer = observer;
        _logger = logger;
        _name = observer.GetType().FullName ?? observer.GetType().Name;
        _changes = Channel.CreateBounded<EndpointHealthChange>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);

        // The delivery task must not carry the caller's async locals (a request, an Activity) into every call it makes.
        using (ExecutionContext.SuppressFlow())
        {
            Completion = Task.Run(() => DeliverAsync(stopping), CancellationToken.None);
        }
    }

    public Task Completion { get; }

    public void Post(EndpointHealthChange change) => _changes.Writer.TryWrite(change);

    public void Complete() => _changes.Writer.TryComplete();

    private async Task DeliverAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(stopping))
            {
                // Caught up: the next drop starts a new episode and is logged again.
                if (_changes.Reader.Count == 0)
                {
                    Volatile.Write(ref _behind, 0);
                }

                try
                {
                    await _observer.OnHealthChangedAsync(change, stopping);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    DependencyHealthLog.ObserverFailed(_logger, _name, change.Transition.ToString(), change.Endpoint.Key.ToString(), e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void OnDropped(EndpointHealthChange change)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _behind, 1) == 0)
        {
            DependencyHealthLog.ObserverFellBehind(_logger, _name, Capacity, dropped);
        }
    }
}
