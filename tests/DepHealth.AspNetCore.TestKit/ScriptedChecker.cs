using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// A checker whose behaviour per call is set by the test; records the time of every call. Calls beyond the script
/// repeat its last step.
/// </summary>
public sealed class ScriptedChecker(TimeProvider time) : IDependencyChecker
{
    private readonly ConcurrentQueue<Func<CancellationToken, ValueTask>> _script = new();
    private readonly Lock _gate = new();
    private Func<CancellationToken, ValueTask> _last = static _ => ValueTask.CompletedTask;
    private int _calls;

    public ConcurrentQueue<DateTimeOffset> CallTimes { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public ScriptedChecker Then(Func<CancellationToken, ValueTask> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public ScriptedChecker ThenSucceed() => Then(static _ => ValueTask.CompletedTask);

    public ScriptedChecker ThenFail(string detail = CheckDetails.Unhealthy) =>
        Then(_ => ValueTask.FromException(new DependencyCheckException(detail, "scripted failure")));

    public ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        CallTimes.Enqueue(time.GetUtcNow());
        Func<CancellationToken, ValueTask> step;

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
