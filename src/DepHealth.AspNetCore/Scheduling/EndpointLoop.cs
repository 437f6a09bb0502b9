using System.Threading.Tasks.Sources;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;
using Polly;
using Polly.Timeout;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The check loop of one endpoint: a <see cref="PeriodicTimer"/> from check start to check start, each check under the
/// Polly.Core timeout strategy. A checker that ignores cancellation is abandoned at the timeout; the endpoint's next
/// check then waits for it (up to one timeout) instead of stacking a second call on the dependency, so at most one
/// abandoned call per endpoint exists.
/// </summary>
/// <remarks>
/// With thousands of endpoints a check runs thousands of times a second, so a check allocates nothing on its success
/// path: the timer's ticks and Polly's outcome API (pooled context, shared pipeline per timeout) allocate nothing, the
/// loop is its own thread-pool work item (the checker runs off the loop's thread, so one that blocks synchronously
/// cannot hold the loop past the timeout) and its own awaitable for the call's outcome.
/// </remarks>
internal sealed class EndpointLoop : IThreadPoolWorkItem, IValueTaskSource<Outcome<Exception?>>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Abandoned = 2;

    private readonly EndpointEntry _entry;
    private readonly CheckScheduler _scheduler;
    private readonly CancellationTokenSource _cancellation;
    private readonly ResiliencePipeline _timeout;
    private readonly Action _checkerCompleted;
    private readonly bool _ownsChecker;
    private ManualResetValueTaskSourceCore<Outcome<Exception?>> _outcome;
    private CancellationToken _callToken;
    private CancellationTokenRegistration _callCancelled;
    private ValueTask _pendingChecker;
    private TaskCompletionSource? _callDone;
    private int _callState;
    private int _outcomeSet = 1;

    public EndpointLoop(EndpointEntry entry, CheckScheduler scheduler, bool ownsChecker, CancellationToken stopping)
    {
        _entry = entry;
        _scheduler = scheduler;
        _ownsChecker = ownsChecker;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _timeout = scheduler.TimeoutPipeline(entry.Settings.Timeout);
        _checkerCompleted = OnCheckerCompleted;

        // The loop's continuation runs on whichever thread ends the call or cancels it; no extra hop to the thread pool.
        _outcome.RunContinuationsAsynchronously = false;
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(TimeSpan firstDelay) => Completion = Task.Run(() => RunAsync(firstDelay));

    /// <summary>Cancels the loop and any check in flight, and waits for the loop to exit (it never waits on a checker).</summary>
    public async Task StopAsync()
    {
        await _cancellation.CancelAsync();
        await Completion;
        _cancellation.Dispose();
        ReleaseChecker();
    }

    private async Task RunAsync(TimeSpan firstDelay)
    {
        var token = _cancellation.Token;
        var statistics = _scheduler.Statistics;
        statistics.LoopStarted();
        try
        {
            if (firstDelay > TimeSpan.Zero)
            {
                await Task.Delay(firstDelay, _scheduler.Time, token);
            }

            // Created at the first check's start, so ticks fall at start + k * interval. A check that overruns
            // one or more ticks is followed at once by a single next check: missed ticks coalesce.
            using var timer = new PeriodicTimer(_entry.Settings.CheckInterval, _scheduler.Time);
            do
            {
                // Inlined rather than a method of its own: awaits here reuse the loop's one state machine.
                await _scheduler.Slots.WaitAsync(token);
                string detail;
                Exception? failure;
                var started = _scheduler.Time.GetTimestamp();
                try
                {
                    if (Volatile.Read(ref _callState) != Idle)
                    {
                        await WaitForPreviousCallAsync(token);
                    }

                    var context = ResilienceContextPool.Shared.Get(token);
                    try
                    {
                        var outcome = await _timeout.ExecuteOutcomeAsync(static (context, loop) => loop.StartCall(context.CancellationToken), context, this);
                        failure = outcome.Exception ?? outcome.Result;
                    }
                    finally
                    {
                        ResilienceContextPool.Shared.Return(context);
                    }

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
            while (await timer.WaitForNextTickAsync(token));
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

    private async Task WaitForPreviousCallAsync(CancellationToken token)
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
    }

    /// <summary>
    /// Starts one checker call with Polly's token (cancelled at the timeout or at shutdown); the outcome completes when the
    /// checker does, or as soon as that token is cancelled, whether or not the checker honours it.
    /// </summary>
    private ValueTask<Outcome<Exception?>> StartCall(CancellationToken cancellationToken)
    {
        _outcome.Reset();
        _callToken = cancellationToken;
        _scheduler.Statistics.CheckStarted();
        Volatile.Write(ref _callState, Running);
        Volatile.Write(ref _outcomeSet, 0);
        _callCancelled = cancellationToken.UnsafeRegister(static s => ((EndpointLoop)s!).OnCallCancelled(), this);

        // To this thread's own queue: it runs next, as soon as the loop yields, so the check holds its slot only briefly;
        // idle threads steal it if this one is busy.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return new ValueTask<Outcome<Exception?>>(this, _outcome.Version);
    }

    /// <summary>Calls the checker on a thread-pool thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            var pending = _entry.Checker.CheckAsync(_entry.Spec, _callToken);
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
        var beforeCancellation = Interlocked.CompareExchange(ref _outcomeSet, 1, 0) == 0;
        if (beforeCancellation)
        {
            // Non-blocking: the callback, if it runs right now, finds the outcome already set.
            _callCancelled.Unregister();
        }

        // Accounted before the outcome is published: the loop may start the next call as soon as it sees it.
        var previous = Interlocked.Exchange(ref _callState, Idle);
        _scheduler.Statistics.CheckCompleted();
        if (previous == Abandoned)
        {
            _scheduler.Statistics.AbandonedCheckCompleted();
        }

        Interlocked.Exchange(ref _callDone, null)?.TrySetResult();
        if (beforeCancellation)
        {
            _outcome.SetResult(Outcome.FromResult<Exception?>(exception));
        }
    }

    /// <summary>Polly's token was cancelled (timeout or shutdown): the loop goes on without waiting for the checker.</summary>
    private void OnCallCancelled()
    {
        if (Interlocked.CompareExchange(ref _outcomeSet, 1, 0) == 0)
        {
            _outcome.SetResult(Outcome.FromException<Exception?>(new OperationCanceledException(_callToken)));
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

    Outcome<Exception?> IValueTaskSource<Outcome<Exception?>>.GetResult(short token)
    {
        var outcome = _outcome.GetResult(token);

        // Drops the awaiting state machine (Polly's, allocated per check): held until the next check, 10 s or more
        // later, it would survive every young collection in between and be promoted with thousands like it.
        _outcome.Reset();
        return outcome;
    }

    ValueTaskSourceStatus IValueTaskSource<Outcome<Exception?>>.GetStatus(short token) => _outcome.GetStatus(token);

    void IValueTaskSource<Outcome<Exception?>>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _outcome.OnCompleted(continuation, state, token, flags);

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
