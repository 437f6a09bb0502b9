using System.Diagnostics.CodeAnalysis;

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
        if (_source is null || _source.IsCancellationRequested)
        {
            Renew();
        }

        _source.CancelAfter(timeout);
        return _source.Token;
    }

    /// <summary>The call ended in time: stops the timer and drops the call's registrations, for the next call.</summary>
    public void Disarm()
    {
        // A source whose timer cannot be stopped (already fired, or a test clock's) is not reused.
        if (_source?.TryReset() == false)
        {
            Renew();
        }
    }

    public void Dispose()
    {
        _stoppingLink.Dispose();
        _source?.Dispose();
    }

    /// <summary>Replaces the source; only when no call uses it any more.</summary>
    [MemberNotNull(nameof(_source))]
    private void Renew()
    {
        Dispose();
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _stoppingLink = stopping.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
    }
}
