using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// A checker whose behaviour per call is set by the test; records the time of every call. Calls beyond the script
/// repeat its last step.
/// </summary>
public sealed class ScriptedChecker(TimeProvider time) : IDependencyChecker
{
    private readonly ConcurrentQueue<Func<CancellationToken, ValueTask<CheckResult>>> _script = new();
    private readonly Lock _gate = new();
    private Func<CancellationToken, ValueTask<CheckResult>> _last = static _ => ValueTask.FromResult(CheckResult.Healthy);
    private int _calls;

    public ConcurrentQueue<DateTimeOffset> CallTimes { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public ScriptedChecker Then(Func<CancellationToken, ValueTask<CheckResult>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    /// <summary>A step that is healthy when it completes; it may throw, as a driver does.</summary>
    public ScriptedChecker Then(Func<CancellationToken, ValueTask> step) => Then(async ct =>
    {
        await step(ct);
        return CheckResult.Healthy;
    });

    public ScriptedChecker ThenSucceed() => Then(static _ => ValueTask.FromResult(CheckResult.Healthy));

    public ScriptedChecker ThenFail(string detail = CheckDetails.Unhealthy) =>
        Then(_ => ValueTask.FromResult(CheckResult.Unhealthy(detail, "scripted failure")));

    public ScriptedChecker ThenThrow(Exception exception) => Then(_ => ValueTask.FromException<CheckResult>(exception));

    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        CallTimes.Enqueue(time.GetUtcNow());
        Func<CancellationToken, ValueTask<CheckResult>> step;

        // Under a lock: two endpoints sharing one script may call at once, and the one that finds the queue empty must
        // repeat the step the other just took, not the default that step is about to replace.
        lock (_gate)
        {
            if (_script.TryDequeue(out var next))
            {
                _last = next;
            }

            step = _last;
        }

        // Counted after the step ran its synchronous part (even when it throws), so a test that sees the count also
        // sees the step's timers armed.
        try
        {
            return step(cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _calls);
        }
    }
}
