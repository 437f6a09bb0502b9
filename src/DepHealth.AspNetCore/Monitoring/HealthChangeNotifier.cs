using DepHealth.AspNetCore.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Monitoring;

/// <summary>
/// Fans health transitions out to every registered <see cref="IDependencyHealthObserver"/>, each through its own
/// <see cref="ObserverQueue"/>. Observers are resolved at <see cref="Start"/> (not construction), so an observer may
/// itself depend on the registry. With no observer, notifying allocates nothing.
/// </summary>
internal sealed class HealthChangeNotifier(IServiceProvider services, ILogger<HealthChangeNotifier> logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private ObserverQueue[] _queues = [];
    private bool _started;

    public bool HasObservers => Volatile.Read(ref _queues).Length > 0;

    /// <summary>Resolves the observers and starts one delivery task per observer; idempotent.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started || _stopping.IsCancellationRequested)
            {
                return;
            }

            _started = true;
            Volatile.Write(ref _queues, [.. services.GetServices<IDependencyHealthObserver>().Select(o => new ObserverQueue(o, logger, _stopping.Token))]);
        }
    }

    /// <summary>Tells every observer of a transition the scheduler recorded.</summary>
    public void Transitioned(EndpointEntry entry, HealthTransition transition)
    {
        var queues = Volatile.Read(ref _queues);
        if (queues.Length == 0 || transition == HealthTransition.None)
        {
            return;
        }

        Post(queues, new EndpointHealthChange
        {
            Transition = transition switch
            {
                HealthTransition.FirstHealthy => EndpointHealthTransition.FirstHealthy,
                HealthTransition.Recovered => EndpointHealthTransition.Recovered,
                _ => EndpointHealthTransition.BecameUnhealthy,
            },
            Endpoint = EndpointHealthReader.Read(entry),
        });
    }

    /// <summary>Tells every observer that an endpoint left the registry; call after its loop stopped, so it comes last.</summary>
    public void Removed(EndpointEntry entry)
    {
        var queues = Volatile.Read(ref _queues);
        if (queues.Length > 0)
        {
            Post(queues, new EndpointHealthChange { Transition = EndpointHealthTransition.Removed, Endpoint = EndpointHealthReader.Read(entry) });
        }
    }

    public void Dispose()
    {
        // Delivery tasks are not awaited: an observer that ignores cancellation must not hold up the container's disposal.
        lock (_gate)
        {
            _stopping.Cancel();
        }

        foreach (var queue in Volatile.Read(ref _queues))
        {
            queue.Complete();
        }
    }

    private static void Post(ObserverQueue[] queues, EndpointHealthChange change)
    {
        foreach (var queue in queues)
        {
            queue.Post(change);
        }
    }
}
