using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;
using Polly;
using Polly.Timeout;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// The check loop of one endpoint: a <see cref="PeriodicTimer"/> from check start to check start, each check under a
/// Polly timeout. A checker that ignores cancellation is abandoned at the timeout; the endpoint's next check then
/// waits for it (up to one timeout) instead of stacking a second call on the dependency, so at most one abandoned
/// call per endpoint exists.
/// </summary>
internal sealed class EndpointLoop
{
    private readonly EndpointEntry _entry;
    private readonly CheckScheduler _scheduler;
    private readonly ResiliencePipeline _timeout;
    private readonly CancellationTokenSource _cancellation;
    private readonly bool _ownsChecker;
    private CheckerCall? _call;
    private CancellationToken _callToken;

    public EndpointLoop(EndpointEntry entry, CheckScheduler scheduler, bool ownsChecker, CancellationToken stopping)
    {
        _entry = entry;
        _scheduler = scheduler;
        _ownsChecker = ownsChecker;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _timeout = new ResiliencePipelineBuilder { TimeProvider = scheduler.Time }
            .AddTimeout(entry.Settings.Timeout)
            .Build();
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
                await CheckOnceAsync(token);
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

    private async Task CheckOnceAsync(CancellationToken token)
    {
        await _scheduler.Slots.WaitAsync(token);
        string detail;
        Exception? failure = null;
        var started = _scheduler.Time.GetTimestamp();
        try
        {
            await RunCheckAsync(token);
            detail = CheckDetails.Ok;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            failure = exception;
            detail = ErrorClassifier.Classify(exception);
            if (exception is TimeoutRejectedException && _call is { } call && call.TryAbandon())
            {
                DependencyHealthLog.CheckAbandoned(_scheduler.Logger, _entry.KeyText, _entry.Settings.Timeout.TotalMilliseconds);
            }
        }
        finally
        {
            _scheduler.Slots.Release();
        }

        var latency = _scheduler.Time.GetElapsedTime(started).TotalSeconds;
        _scheduler.Record(_entry, detail, latency, failure);
    }

    private async ValueTask RunCheckAsync(CancellationToken token)
    {
        if (_call?.Task is { IsCompleted: false } previous)
        {
            // The previous call outlived its timeout. Give it one more timeout to finish rather than
            // piling a second call onto a dependency that is already not answering.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
            await Task.WhenAny(previous, Task.Delay(_entry.Settings.Timeout, _scheduler.Time, wait.Token));
            await wait.CancelAsync();
            token.ThrowIfCancellationRequested();
            if (!previous.IsCompleted)
            {
                throw new DependencyCheckException(CheckDetails.Timeout, "The previous check is still running past its timeout.");
            }
        }

        await _timeout.ExecuteAsync(static (loop, ct) => loop.CallCheckerAsync(ct), this, token);
    }

    private ValueTask CallCheckerAsync(CancellationToken cancellationToken)
    {
        _callToken = cancellationToken;
        var statistics = _scheduler.Statistics;
        statistics.CheckStarted();

        // The checker runs as its own task so that even one that blocks synchronously cannot hold this loop
        // past the timeout; its completion is tracked to keep the in-flight count exact.
        var call = Task.Factory.StartNew(
            static state => ((EndpointLoop)state!).InvokeChecker(),
            this,
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default).Unwrap();
        _call = new CheckerCall(call, statistics);
        return call.IsCompleted ? new ValueTask(call) : new ValueTask(call.WaitAsync(cancellationToken));
    }

    private Task InvokeChecker() => _entry.Checker.CheckAsync(_entry.Spec, _callToken).AsTask();

    private void ReleaseChecker()
    {
        if (!_ownsChecker)
        {
            return;
        }

        // A call may still be running after the loop stopped; dispose the checker only when it is done.
        var call = _call?.Task ?? Task.CompletedTask;
        call.ContinueWith(
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
