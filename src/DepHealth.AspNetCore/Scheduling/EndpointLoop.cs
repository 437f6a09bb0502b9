using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The check loop of one endpoint: a check on each tick of its <see cref="CheckCadence"/>, from check start to check
/// start, shared with the loops due at the same moments. Each check calls the
/// checker on the thread pool with a token cancelled at the timeout, and stops waiting for it at the timeout whether or
/// not it honours that token. A call still running <see cref="AbandonGrace"/> after its timeout is abandoned; the next
/// check waits for it (up to one timeout) instead of stacking a second call on the dependency. See docs/design.md.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Released once its last call ends, which StopAsync must not wait for.")]
internal sealed class EndpointLoop
{
    /// <summary>How long a cancelled call may take to end before it counts as abandoned (event 1005).</summary>
    public static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(1);

    private readonly EndpointEntry _entry;
    private readonly CheckScheduler _scheduler;
    private readonly bool _ownsChecker;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _stopping;
    private readonly CheckCancellation _cancellation;

    // Read by CallChecker when it runs: a new call, with a new token, starts only after the previous one has ended.
    private CancellationToken _callToken;

    // The checker call in progress, or one that outlived its check's timeout.
    private Task _call = Task.CompletedTask;

    public EndpointLoop(EndpointEntry entry, CheckScheduler scheduler, bool ownsChecker, CancellationToken stopping)
    {
        _entry = entry;
        _scheduler = scheduler;
        _ownsChecker = ownsChecker;
        _timeout = entry.Settings.Timeout;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _cancellation = new CheckCancellation(scheduler.Time, _stopping.Token);
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Joins the cadence at once, so that no tick after this call is missed, and starts the loop.</summary>
    public void Start(CheckCadence cadence)
    {
        _scheduler.Statistics.LoopStarted();
        var ticks = new TickSignal();
        cadence.Join(ticks);
        Completion = RunAsync(cadence, ticks);
    }

    /// <summary>Cancels the loop and any check in flight, and waits for the loop to exit (it never waits on a checker).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Completion;
        _ = ReleaseWhenCallEndsAsync();
    }

    private async Task RunAsync(CheckCadence cadence, TickSignal ticks)
    {
        // Off the caller's thread (a registry request, the host's start) and out of any synchronization context.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        var time = _scheduler.Time;
        var token = _stopping.Token;

        // The tick wait takes no token; the stop ends it with a tick.
        var wake = token.UnsafeRegister(static s => ((TickSignal)s!).Tick(), ticks);
        try
        {
            // A check that overruns one or more ticks is followed at once by a single next check: missed ticks coalesce.
            while (true)
            {
                await ticks.WaitAsync();
                token.ThrowIfCancellationRequested();
                await _scheduler.Slots.WaitAsync(token);
                var started = time.GetTimestamp();
                CheckResult result;
                try
                {
                    result = await CheckAsync(token);
                }
                finally
                {
                    _scheduler.Slots.Release();
                }

                _scheduler.Record(_entry, result, time.GetElapsedTime(started).TotalSeconds);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Removed, replaced or shutting down: leave the last values in place.
        }
        finally
        {
            wake.Dispose();
            _scheduler.Leave(cadence, ticks);
            ticks.Dispose();
            _scheduler.Statistics.LoopExited();
        }
    }

    /// <summary>One check's result. Throws only when the loop is stopping.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CheckResult> CheckAsync(CancellationToken stopping)
    {
        if (!_call.IsCompleted)
        {
            // The previous call outlived its timeout: give it one more timeout rather than piling a second call onto
            // a dependency that is already not answering.
            await _call.WaitAsync(_timeout, _scheduler.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stopping.ThrowIfCancellationRequested();
            if (!_call.IsCompleted)
            {
                return CheckResult.Unhealthy(CheckDetails.Timeout, "The previous check is still running past its timeout.");
            }
        }

        _callToken = _cancellation.Start(_timeout);
        _scheduler.Statistics.CheckStarted();

        // On the thread pool: a checker that blocks in its synchronous part holds that thread, never the loop.
        var call = Task.Factory.StartNew(
            static loop => ((EndpointLoop)loop!).CallChecker(), this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();
        _call = call;
        try
        {
            // Its own timer, so that the loop never depends on the checker's reaction to its token.
            return await call.WaitAsync(_timeout, _scheduler.Time, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            return CheckResult.Unhealthy(CheckDetails.Timeout, $"The check did not complete within its timeout of {_timeout.TotalMilliseconds:0.###} ms.");
        }
        catch (Exception exception)
        {
            // A driver that throws: classified as if returned.
            return CheckResult.FromException(exception);
        }
        finally
        {
            if (call.IsCompleted)
            {
                _scheduler.Statistics.CheckCompleted();
                _cancellation.Disarm();

                // Not kept until the next check: held that long, thousands of them would be promoted to gen2.
                _call = Task.CompletedTask;
            }
            else
            {
                // Started before the result is recorded, so the grace runs from the timeout.
                _ = WatchLateCallAsync(call, stopping);
            }
        }
    }

    private Task<CheckResult> CallChecker() => _entry.Checker.CheckAsync(_entry.Spec, _callToken).AsTask();

    /// <summary>Accounts for a call that outlived its check: abandoned only if it is still running after the grace.</summary>
    private async Task WatchLateCallAsync(Task call, CancellationToken stopping)
    {
        await call.WaitAsync(AbandonGrace, _scheduler.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // At shutdown every call is cancelled at once; those are not reported one by one.
        var abandoned = !call.IsCompleted && !stopping.IsCancellationRequested;
        if (abandoned)
        {
            _scheduler.Statistics.CheckAbandoned();
            DependencyHealthLog.CheckAbandoned(_scheduler.Logger, _entry.KeyText, AbandonGrace.TotalMilliseconds, _timeout.TotalMilliseconds);
        }

        await call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (abandoned)
        {
            _scheduler.Statistics.AbandonedCheckCompleted();
        }

        _scheduler.Statistics.CheckCompleted();
    }

    /// <summary>Disposes what the loop owns, and the checker if it is the loop's, once no call of it is running.</summary>
    private async Task ReleaseWhenCallEndsAsync()
    {
        await _call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _cancellation.Dispose();
        _stopping.Dispose();
        if (!_ownsChecker)
        {
            return;
        }

        switch (_entry.Checker)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
