using System.Threading.Tasks.Sources;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;
using Polly.Timeout;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The check loop of one endpoint: a periodic timer from check start to check start, each check under a
/// timeout. A checker that ignores cancellation is abandoned at the timeout; the endpoint's next check then waits for
/// it (up to one timeout) instead of stacking a second call on the dependency, so at most one abandoned call per
/// endpoint exists.
/// </summary>
/// <remarks>
/// With thousands of endpoints a check runs thousands of times a second, so a check allocates nothing: the loop is its
/// own thread-pool work item (the checker runs off the loop's thread, so one that blocks synchronously cannot hold the
/// loop past the timeout), its own awaitable for the call's outcome, and it reuses one timeout timer and one
/// cancellation source for as long as checks end before their timeout.
/// </remarks>
internal sealed class EndpointLoop : IThreadPoolWorkItem, IValueTaskSource<Exception?>, IValueTaskSource<bool>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Abandoned = 2;

    private const int NoTick = 0;
    private const int TickPending = 1;
    private const int WaitingForTick = 2;

    private readonly EndpointEntry _entry;
    private readonly CheckScheduler _scheduler;
    private readonly CancellationTokenSource _cancellation;
    private readonly ITimer _timeoutTimer;
    private readonly Action _checkerCompleted;
    private readonly bool _ownsChecker;
    private ManualResetValueTaskSourceCore<Exception?> _outcome;
    private ManualResetValueTaskSourceCore<bool> _tick;
    private int _tickState;
    private CancellationTokenSource? _callCancellation;
    private ValueTask _pendingChecker;
    private TaskCompletionSource? _callDone;
    private int _callState;
    private long _callStarted;
    private int _outcomeSet = 1;

    public EndpointLoop(EndpointEntry entry, CheckScheduler scheduler, bool ownsChecker, CancellationToken stopping)
    {
        _entry = entry;
        _scheduler = scheduler;
        _ownsChecker = ownsChecker;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _timeoutTimer = scheduler.Time.CreateTimer(static s => ((EndpointLoop)s!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _checkerCompleted = OnCheckerCompleted;

        // The loop's continuation runs on whichever thread ends the call or fires the tick (a thread-pool thread for
        // the system clock); no extra hop to the thread pool.
        _outcome.RunContinuationsAsynchronously = false;
        _tick.RunContinuationsAsynchronously = false;
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(TimeSpan firstDelay) => Completion = Task.Run(() => RunAsync(firstDelay));

    /// <summary>Cancels the loop and any check in flight, and waits for the loop to exit (it never waits on a checker).</summary>
    public async Task StopAsync()
    {
        await _cancellation.CancelAsync();
        await Completion;
        await _timeoutTimer.DisposeAsync();
        _cancellation.Dispose();
        if (Volatile.Read(ref _callState) == Idle)
        {
            // A call that still runs may still use its token; its source is left to the collector then.
            _callCancellation?.Dispose();
        }

        ReleaseChecker();
    }

    private async Task RunAsync(TimeSpan firstDelay)
    {
        var token = _cancellation.Token;
        var statistics = _scheduler.Statistics;
        statistics.LoopStarted();

        // Shutdown or removal also ends the wait for a call that ignores cancellation.
        using var onStop = token.UnsafeRegister(static s => ((EndpointLoop)s!).OnStopping(), this);
        try
        {
            if (firstDelay > TimeSpan.Zero)
            {
                await Task.Delay(firstDelay, _scheduler.Time, token);
            }

            // Created at the first check's start, so ticks fall at start + k * interval. A check that overruns
            // one or more ticks is followed at once by a single next check: missed ticks coalesce.
            var interval = _entry.Settings.CheckInterval;
            await using var timer = _scheduler.Time.CreateTimer(static s => ((EndpointLoop)s!).OnTick(), this, interval, interval);
            do
            {
                // Inlined rather than a method of its own: awaits here reuse the loop's one state machine.
                await _scheduler.Slots.WaitAsync(token);
                string detail;
                Exception? failure;
                var started = _scheduler.Time.GetTimestamp();
                try
                {
                    failure = await RunCheckAsync(token);
                    token.ThrowIfCancellationRequested();
                    detail = failure is null ? CheckDetails.Ok : ErrorClassifier.Classify(failure);
                    if (failure is TimeoutRejectedException && TryAbandon())
                    {
                        DependencyHealthLog.CheckAbandoned(_scheduler.Logger, _entry.KeyText, _entry.Settings.Timeout.TotalMilliseconds);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception exception)
                {
                    failure = exception;
                    detail = ErrorClassifier.Classify(exception);
                }
                finally
                {
                    _scheduler.Slots.Release();
                }

                _scheduler.Record(_entry, detail, _scheduler.Time.GetElapsedTime(started).TotalSeconds, failure);
            }
            while (await WaitForTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Removed, replaced or shutting down: leave the last values in place.
        }
        finally
        {
            statistics.LoopExited();
        }
    }

    /// <summary>Runs one checker call under the timeout; the call's exception, or null when it succeeded.</summary>
    private ValueTask<Exception?> RunCheckAsync(CancellationToken token) =>
        Volatile.Read(ref _callState) == Idle ? StartCall(token) : WaitForPreviousCallAsync(token);

    private async ValueTask<Exception?> WaitForPreviousCallAsync(CancellationToken token)
    {
        // The previous call outlived its timeout. Give it one more timeout to finish rather than
        // piling a second call onto a dependency that is already not answering.
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            await Task.WhenAny(CallCompletion(), Task.Delay(_entry.Settings.Timeout, _scheduler.Time, wait.Token));
            await wait.CancelAsync();
        }

        token.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _callState) != Idle)
        {
            throw new DependencyCheckException(CheckDetails.Timeout, "The previous check is still running past its timeout.");
        }

        return await StartCall(token);
    }

    private ValueTask<Exception?> StartCall(CancellationToken token)
    {
        _callStarted = _scheduler.Time.GetTimestamp();

        // A source whose call ended before its timeout is reset and reused; one that fired is replaced.
        if (_callCancellation is null || !_callCancellation.TryReset())
        {
            _callCancellation?.Dispose();
            _callCancellation = CancellationTokenSource.CreateLinkedTokenSource(token);
        }

        _outcome.Reset();
        _scheduler.Statistics.CheckStarted();
        Volatile.Write(ref _callState, Running);
        Volatile.Write(ref _outcomeSet, 0);
        _timeoutTimer.Change(_entry.Settings.Timeout, Timeout.InfiniteTimeSpan);
        // To this thread's own queue: it runs next, as soon as the loop yields, so the check holds its slot only briefly;
        // idle threads steal it if this one is busy.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return new ValueTask<Exception?>(this, _outcome.Version);
    }

    /// <summary>Calls the checker on a thread-pool thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            var pending = _entry.Checker.CheckAsync(_entry.Spec, _callCancellation!.Token);
            if (!pending.IsCompleted)
            {
                _pendingChecker = pending;
                pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_checkerCompleted);
                return;
            }

            pending.GetAwaiter().GetResult();
            CallEnded(null);
        }
        catch (Exception exception)
        {
            CallEnded(exception);
        }
    }

    private void OnCheckerCompleted()
    {
        var pending = _pendingChecker;
        _pendingChecker = default;
        try
        {
            pending.GetAwaiter().GetResult();
            CallEnded(null);
        }
        catch (Exception exception)
        {
            CallEnded(exception);
        }
    }

    /// <summary>The checker finished, before or after its timeout.</summary>
    private void CallEnded(Exception? exception)
    {
        var beforeTimeout = Interlocked.CompareExchange(ref _outcomeSet, 1, 0) == 0;
        if (beforeTimeout)
        {
            _timeoutTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        // Accounted before the outcome is published: the loop may start the next call as soon as it sees it.
        var previous = Interlocked.Exchange(ref _callState, Idle);
        _scheduler.Statistics.CheckCompleted();
        if (previous == Abandoned)
        {
            _scheduler.Statistics.AbandonedCheckCompleted();
        }

        Interlocked.Exchange(ref _callDone, null)?.TrySetResult();
        if (beforeTimeout)
        {
            _outcome.SetResult(exception);
        }
    }

    /// <summary>Completes at the next tick (at once when one fired during the check); false when the loop stops.</summary>
    private ValueTask<bool> WaitForTickAsync(CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            return new ValueTask<bool>(false);
        }

        if (Interlocked.CompareExchange(ref _tickState, NoTick, TickPending) == TickPending)
        {
            return new ValueTask<bool>(true);
        }

        _tick.Reset();
        if (Interlocked.CompareExchange(ref _tickState, WaitingForTick, NoTick) != NoTick)
        {
            // A tick fired just now.
            Volatile.Write(ref _tickState, NoTick);
            return new ValueTask<bool>(true);
        }

        // Stopping may have found nobody waiting a moment ago.
        if (token.IsCancellationRequested && Interlocked.CompareExchange(ref _tickState, NoTick, WaitingForTick) == WaitingForTick)
        {
            return new ValueTask<bool>(false);
        }

        return new ValueTask<bool>(this, _tick.Version);
    }

    private void OnTick()
    {
        while (true)
        {
            switch (Volatile.Read(ref _tickState))
            {
                case WaitingForTick when Interlocked.CompareExchange(ref _tickState, NoTick, WaitingForTick) == WaitingForTick:
                    _tick.SetResult(true);
                    return;
                case NoTick when Interlocked.CompareExchange(ref _tickState, TickPending, NoTick) == NoTick:
                case TickPending:
                    return;
            }
        }
    }

    private void OnStopping()
    {
        if (Interlocked.CompareExchange(ref _tickState, NoTick, WaitingForTick) == WaitingForTick)
        {
            _tick.SetResult(false);
        }

        TrySetOutcome(new OperationCanceledException());
    }

    private void OnTimeout()
    {
        // The timer is reused from call to call: a callback that comes far too early for the current call belongs to
        // an earlier one that ended just as its timer fired.
        var timeout = _entry.Settings.Timeout;
        if (_scheduler.Time.GetElapsedTime(Volatile.Read(ref _callStarted)) < timeout / 2
            || Interlocked.CompareExchange(ref _outcomeSet, 1, 0) != 0)
        {
            return;
        }

        // Cancel first, so that a checker honouring its token stops now; then the loop goes on without it.
        try
        {
            _callCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (AggregateException)
        {
            // A checker's cancellation callback threw; the call still times out.
        }

        _outcome.SetResult(new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{timeout}'.", timeout));
    }

    private void TrySetOutcome(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _outcomeSet, 1, 0) == 0)
        {
            _outcome.SetResult(exception);
        }
    }

    /// <summary>Marks the call abandoned if it is still running; true when it was.</summary>
    private bool TryAbandon()
    {
        if (Interlocked.CompareExchange(ref _callState, Abandoned, Running) != Running)
        {
            return false;
        }

        _scheduler.Statistics.CheckAbandoned();
        return true;
    }

    /// <summary>Completes when no checker call is running.</summary>
    private Task CallCompletion()
    {
        if (Volatile.Read(ref _callState) == Idle)
        {
            return Task.CompletedTask;
        }

        var done = Volatile.Read(ref _callDone);
        if (done is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done = Interlocked.CompareExchange(ref _callDone, created, null) ?? created;
        }

        if (Volatile.Read(ref _callState) == Idle)
        {
            // The call ended while the source was being set up.
            Interlocked.CompareExchange(ref _callDone, null, done);
            done.TrySetResult();
        }

        return done.Task;
    }

    Exception? IValueTaskSource<Exception?>.GetResult(short token) => _outcome.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<Exception?>.GetStatus(short token) => _outcome.GetStatus(token);

    void IValueTaskSource<Exception?>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _outcome.OnCompleted(continuation, state, token, flags);

    bool IValueTaskSource<bool>.GetResult(short token) => _tick.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _tick.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _tick.OnCompleted(continuation, state, token, flags);

    private void ReleaseChecker()
    {
        if (!_ownsChecker)
        {
            return;
        }

        // A call may still be running after the loop stopped; dispose the checker only when it is done.
        CallCompletion().ContinueWith(
            static async (_, checker) =>
            {
                switch (checker)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync();
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            },
            _entry.Checker,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }
}
