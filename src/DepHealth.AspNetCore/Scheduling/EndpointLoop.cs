using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;
using Polly;
using Polly.Timeout;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The check loop of one endpoint: a <see cref="PeriodicTimer"/> from check start to check start, each check under the
/// Polly.Core timeout strategy. A checker that ignores cancellation, or blocks synchronously, is abandoned at the
/// timeout; the endpoint's next check then waits for it (up to one timeout) instead of stacking a second call on the
/// dependency, so at most one abandoned call per endpoint exists.
/// </summary>
/// <remarks>
/// <para>
/// With thousands of endpoints a check runs thousands of times a second, so a check allocates nothing on its success
/// path and costs no thread-pool hop beyond the timer's own: the loop awaits a <see cref="CheckAwaitable"/>, which runs
/// the check on the same thread only after the loop has parked. The loop is then never on the checker's stack, so a
/// checker that blocks synchronously holds that one thread, while the timeout resumes the loop from the timer's thread.
/// </para>
/// <para>
/// A call has two parts that end independently: the checker (its synchronous part and any task it returns) and the
/// Polly execution around it. The call is over, and the next may start, only when both have ended.
/// </para>
/// </remarks>
internal sealed class EndpointLoop : IValueTaskSource<Outcome<Exception?>>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Abandoned = 2;

    // Where the checker is when Polly's token is cancelled (timeout or shutdown), which decides who resumes the loop.
    private const int InCall = 0;
    private const int Pending = 1;
    private const int Returned = 2;
    private const int Cancelled = 3;

    // Deeper nesting (a check completing synchronously right after an overrun tick, again and again) hops instead.
    private const int MaxInlineDepth = 4;

    [ThreadStatic]
    private static int t_inlineDepth;

    private readonly EndpointEntry _entry;
    private readonly CheckScheduler _scheduler;
    private readonly CancellationTokenSource _cancellation;
    private readonly ResiliencePipeline _timeout;
    private readonly bool _ownsChecker;
    private ManualResetValueTaskSourceCore<Outcome<Exception?>> _outcome;
    private CancellationToken _callToken;
    private CancellationTokenRegistration _callCancelled;
    private ValueTask _pendingChecker;
    private ValueTask<Outcome<Exception?>> _pendingExecution;
    private ResilienceContext? _pendingContext;
    private long _pendingCallId;
    private Action? _checkerCompleted;
    private Action? _executionCompleted;
    private Action? _resume;
    private Exception? _result;
    private TaskCompletionSource? _callDone;
    private int _callState;
    private int _callParts;
    private int _checkerState = Returned;
    private long _callId;
    private long _awaitedCall;

    public EndpointLoop(EndpointEntry entry, CheckScheduler scheduler, bool ownsChecker, CancellationToken stopping)
    {
        _entry = entry;
        _scheduler = scheduler;
        _ownsChecker = ownsChecker;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _timeout = scheduler.TimeoutPipeline(entry.Settings.Timeout);

        // Polly's continuation runs on whichever thread ends the checker's task or cancels it; no extra hop.
        _outcome.RunContinuationsAsynchronously = false;
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(TimeSpan firstDelay) => Completion = RunAsync(firstDelay);

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
        var statistics = _scheduler.Statistics;
        statistics.LoopStarted();

        // Off the caller's thread (a registry request, the host's start) and out of any synchronization context.
        await default(ThreadPoolHop);
        var token = _cancellation.Token;
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

                    failure = await new CheckAwaitable(this);
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

    /// <summary>Runs one check now that the loop has parked; <paramref name="resume"/> continues the loop with its result.</summary>
    private void RunCheck(Action resume)
    {
        var id = ++_callId;
        _resume = resume;
        _result = null;
        _callParts = 2;
        Volatile.Write(ref _awaitedCall, id);
        Volatile.Write(ref _callState, Running);
        _scheduler.Statistics.CheckStarted();

        var context = ResilienceContextPool.Shared.Get(_cancellation.Token);
        ValueTask<Outcome<Exception?>> execution;
        try
        {
            execution = _timeout.ExecuteOutcomeAsync(static (context, loop) => loop.CallChecker(context.CancellationToken), context, this);
        }
        catch (Exception exception)
        {
            // The outcome API reports failures as outcomes; this is a last line of defence for the loop.
            execution = new ValueTask<Outcome<Exception?>>(Outcome.FromException<Exception?>(exception));
        }

        if (execution.IsCompleted)
        {
            ExecutionEnded(execution, context, id);
            return;
        }

        _pendingExecution = execution;
        _pendingContext = context;
        _pendingCallId = id;
        execution.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_executionCompleted ??= OnExecutionCompleted);
    }

    private void OnExecutionCompleted()
    {
        var execution = _pendingExecution;
        var context = _pendingContext!;
        var id = _pendingCallId;
        _pendingExecution = default;
        _pendingContext = null;
        ExecutionEnded(execution, context, id);
    }

    /// <summary>Polly's execution ended: its outcome goes to the loop unless the cancellation already resumed it.</summary>
    private void ExecutionEnded(ValueTask<Outcome<Exception?>> execution, ResilienceContext context, long id)
    {
        Exception? result;
        try
        {
            var outcome = execution.GetAwaiter().GetResult();
            result = outcome.Exception ?? outcome.Result;
        }
        catch (Exception exception)
        {
            result = exception;
        }

        ResilienceContextPool.Shared.Return(context);

        // Ended before the loop hears of it: when it resumes, it may start the next call at once. The id keeps a call
        // that the timeout already reported from resuming the loop again during a later call.
        PartEnded();
        Deliver(id, result);
    }

    /// <summary>
    /// Called by Polly with its token (cancelled at the timeout or at shutdown). The returned outcome completes when the
    /// checker does, or as soon as that token is cancelled, whether or not the checker honours it.
    /// </summary>
    private ValueTask<Outcome<Exception?>> CallChecker(CancellationToken cancellationToken)
    {
        _callToken = cancellationToken;
        Volatile.Write(ref _checkerState, InCall);
        _callCancelled = cancellationToken.UnsafeRegister(static s => ((EndpointLoop)s!).OnCallCancelled(), this);
        try
        {
            var pending = _entry.Checker.CheckAsync(_entry.Spec, cancellationToken);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult();
                return CheckerReturned(null);
            }

            _outcome.Reset();
            _pendingChecker = pending;
            if (Interlocked.CompareExchange(ref _checkerState, Pending, InCall) != InCall)
            {
                // Cancelled while the checker ran synchronously; the loop has been resumed already.
                AwaitChecker(pending);
                return new ValueTask<Outcome<Exception?>>(Cancellation());
            }

            AwaitChecker(pending);
            return new ValueTask<Outcome<Exception?>>(this, _outcome.Version);
        }
        catch (Exception exception)
        {
            return CheckerReturned(exception);
        }
    }

    private ValueTask<Outcome<Exception?>> CheckerReturned(Exception? exception)
    {
        var beforeCancellation = Interlocked.CompareExchange(ref _checkerState, Returned, InCall) == InCall;
        if (beforeCancellation)
        {
            // Non-blocking: the callback, if it runs right now, finds the call returned.
            _callCancelled.Unregister();
        }

        PartEnded();
        return new ValueTask<Outcome<Exception?>>(beforeCancellation ? Outcome.FromResult<Exception?>(exception) : Cancellation());
    }

    private void AwaitChecker(ValueTask pending) =>
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_checkerCompleted ??= OnCheckerCompleted);

    private void OnCheckerCompleted()
    {
        var pending = _pendingChecker;
        _pendingChecker = default;
        Exception? exception = null;
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch (Exception caught)
        {
            exception = caught;
        }

        var beforeCancellation = Interlocked.CompareExchange(ref _checkerState, Returned, Pending) == Pending;
        if (beforeCancellation)
        {
            _callCancelled.Unregister();
        }

        PartEnded();
        if (beforeCancellation)
        {
            _outcome.SetResult(Outcome.FromResult<Exception?>(exception));
        }
    }

    /// <summary>Polly's token was cancelled (timeout or shutdown): the loop goes on without waiting for the checker.</summary>
    private void OnCallCancelled()
    {
        while (true)
        {
            switch (Volatile.Read(ref _checkerState))
            {
                case InCall when Interlocked.CompareExchange(ref _checkerState, Cancelled, InCall) == InCall:
                    // The checker is still in its synchronous part, with Polly below it on the same stack: resume the
                    // loop from here, as Polly would have.
                    Deliver(Volatile.Read(ref _callId), _cancellation.IsCancellationRequested
                        ? new OperationCanceledException(_cancellation.Token)
                        : new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_entry.Settings.Timeout}'.", _entry.Settings.Timeout));
                    return;
                case Pending when Interlocked.CompareExchange(ref _checkerState, Cancelled, Pending) == Pending:
                    // Polly awaits the checker's task: end that await, and Polly reports the timeout.
                    _outcome.SetResult(Cancellation());
                    return;
                case Returned or Cancelled:
                    return;
            }
        }
    }

    private Outcome<Exception?> Cancellation() => Outcome.FromException<Exception?>(new OperationCanceledException(_callToken));

    /// <summary>Resumes the loop with call <paramref name="id"/>'s result, if the loop still awaits that call.</summary>
    private void Deliver(long id, Exception? result)
    {
        if (Interlocked.CompareExchange(ref _awaitedCall, 0, id) != id)
        {
            return;
        }

        _result = result;
        var resume = _resume!;
        _resume = null;
        resume();
    }

    /// <summary>One of the call's two parts ended; the call is over when both have.</summary>
    private void PartEnded()
    {
        if (Interlocked.Decrement(ref _callParts) != 0)
        {
            return;
        }

        var previous = Interlocked.Exchange(ref _callState, Idle);
        _scheduler.Statistics.CheckCompleted();
        if (previous == Abandoned)
        {
            _scheduler.Statistics.AbandonedCheckCompleted();
        }

        Interlocked.Exchange(ref _callDone, null)?.TrySetResult();
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

    /// <summary>
    /// Awaited by the loop for one check's result. The check starts in <see cref="UnsafeOnCompleted"/>, after the loop's
    /// state is saved and nothing but returning is left on its stack; the loop resumes when the result is delivered,
    /// on this thread when the checker completes synchronously.
    /// </summary>
    private readonly struct CheckAwaitable(EndpointLoop loop) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public CheckAwaitable GetAwaiter() => this;

        public Exception? GetResult() => loop._result;

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            if (t_inlineDepth >= MaxInlineDepth)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Loop.RunCheck(state.Continuation), (Loop: loop, Continuation: continuation), preferLocal: true);
                return;
            }

            t_inlineDepth++;
            try
            {
                loop.RunCheck(continuation);
            }
            finally
            {
                t_inlineDepth--;
            }
        }
    }

    /// <summary>Continues on the thread pool, without the caller's synchronization context.</summary>
    private readonly struct ThreadPoolHop : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public ThreadPoolHop GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation) =>
            ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }
}
