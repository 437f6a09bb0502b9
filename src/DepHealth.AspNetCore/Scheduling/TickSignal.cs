namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// One loop's ticks from its <see cref="CheckCadence"/>. At most one tick waits to be taken, so ticks that fall while a
/// check runs coalesce into a single next check, as a <see cref="PeriodicTimer"/>'s do.
/// </summary>
internal sealed class TickSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly Lock _gate = new();

    /// <summary>Marks a tick, unless one is pending already.</summary>
    public void Tick()
    {
        // The cadence and the loop's stop both tick: check and release as one step.
        lock (_gate)
        {
            if (_pending.CurrentCount == 0)
            {
                _pending.Release();
            }
        }
    }

    /// <summary>
    /// Completes once a tick is pending; its continuation runs on the thread pool, never on the cadence's thread.
    /// Takes no token (a cancellable wait allocates a registration per tick): the loop's stop ticks it instead.
    /// </summary>
    public Task WaitAsync() => _pending.WaitAsync();

    public void Dispose() => _pending.Dispose();
}
