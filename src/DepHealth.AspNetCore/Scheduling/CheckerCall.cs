namespace DepHealth.AspNetCore.Scheduling;

/// <summary>One call into a checker, tracked until it really completes, even after it was abandoned at its timeout.</summary>
internal sealed class CheckerCall
{
    private readonly SchedulerStatistics _statistics;
    private int _state; // 0 running, 1 abandoned, 2 completed

    public CheckerCall(Task task, SchedulerStatistics statistics)
    {
        Task = task;
        _statistics = statistics;
        task.ContinueWith(
            static (completed, state) => ((CheckerCall)state!).Completed(completed),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public Task Task { get; }

    /// <summary>Marks the call abandoned if it is still running; true when it was.</summary>
    public bool TryAbandon()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return false;
        }

        _statistics.CheckAbandoned();
        return true;
    }

    private void Completed(Task task)
    {
        // Observe the outcome: an abandoned call that faults later must not surface as an unobserved exception.
        _ = task.Exception;
        _statistics.CheckCompleted();
        if (Interlocked.Exchange(ref _state, 2) == 1)
        {
            _statistics.AbandonedCheckCompleted();
        }
    }
}
