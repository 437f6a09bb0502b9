namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The token one endpoint's checker calls get: cancelled at a call's timeout, on the scheduler's clock, or when the loop
/// stops. One source serves call after call (<see cref="CancellationTokenSource.TryReset"/>) until it is cancelled.
/// </summary>
internal sealed class CheckCancellation(TimeProvider time, CancellationToken stopping) : IDisposable
{
    private CancellationTokenSource? _source;
    private CancellationTokenRegistration _stoppingLink;

    /// <summary>Arms a token for a new call; called only once the previous call has ended.</summary>
    public CancellationToken Start(TimeSpan timeout)
    {
        if (_source is null || !_source.TryReset())
        {
            // Cancelled by the last timeout (or a clock whose timers cannot be reset): its call has ended, so nothing needs it.
            Dispose();
            _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
            _stoppingLink = stopping.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
        }

        _source.CancelAfter(timeout);
        return _source.Token;
    }

    /// <summary>The call ended in time: the timer is stopped so that the source can serve the next call.</summary>
    public void Disarm() => _source?.TryReset();

    public void Dispose()
    {
        _stoppingLink.Dispose();
        _source?.Dispose();
    }
}
