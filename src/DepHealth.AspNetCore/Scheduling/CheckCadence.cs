using System.Diagnostics.CodeAnalysis;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// One timer for every loop that shares an interval and a first tick: each tick signals all of them at once, so their
/// checks start in one wake-up of the thread pool instead of one each (docs/design.md, "Check loop"). The first tick falls
/// after the first delay, the next ones an interval apart, on a <see cref="PeriodicTimer"/> created at the first.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The stop source has no timer or wait handle; its cancel may run the timer's exit inline.")]
internal sealed class CheckCadence
{
    private readonly HashSet<TickSignal> _members = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private bool _ticked;

    public CheckCadence(TimeProvider time, CadenceKey key)
    {
        _time = time;
        Key = key;
    }

    public CadenceKey Key { get; }

    /// <summary>Starts the timer; the caller suppresses the flow of its execution context.</summary>
    public void Start(TimeSpan firstDelay) => _ = RunAsync(firstDelay);

    /// <summary>Adds a loop; one that joins after the first tick (an endpoint added in the same millisecond) is signalled at once.</summary>
    public void Join(TickSignal signal)
    {
        lock (_gate)
        {
            _members.Add(signal);
            if (_ticked)
            {
                signal.Tick();
            }
        }
    }

    /// <summary>Removes a loop; the last one to leave stops the timer. True when the cadence is now empty.</summary>
    public bool Leave(TickSignal signal)
    {
        lock (_gate)
        {
            _members.Remove(signal);
            if (_members.Count > 0)
            {
                return false;
            }
        }

        _stopping.Cancel();
        return true;
    }

    private async Task RunAsync(TimeSpan firstDelay)
    {
        // Off the caller's thread: a registry request or the host's start.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        var token = _stopping.Token;
        try
        {
            if (firstDelay > TimeSpan.Zero)
            {
                await Task.Delay(firstDelay, _time, token);
            }

            using var timer = new PeriodicTimer(Key.Interval, _time);
            do
            {
                Fire();
            }
            while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The last loop left.
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _ticked = true;
            foreach (var member in _members)
            {
                member.Tick();
            }
        }
    }
}
