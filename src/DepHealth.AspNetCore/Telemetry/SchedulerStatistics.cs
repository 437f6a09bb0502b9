namespace DepHealth.AspNetCore.Telemetry;

/// <summary>Live counters of the scheduler, read by metrics, probes and tests.</summary>
internal sealed class SchedulerStatistics
{
    private long _inFlight;
    private long _abandoned;
    private int _runningLoops;
    private long _lastHeartbeat;
    private int _started;

    /// <summary>Checker calls not yet completed, including abandoned ones.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Checker calls still running a grace period after their timeout, and not completed yet.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Check loops that have started and not yet exited.</summary>
    public int RunningLoops => Volatile.Read(ref _runningLoops);

    /// <summary>The <see cref="TimeProvider"/> timestamp of the scheduler's last heartbeat; 0 before the first.</summary>
    public long LastHeartbeat => Interlocked.Read(ref _lastHeartbeat);

    /// <summary>1 while the scheduler runs, 0 before start and after stop.</summary>
    public bool IsRunning => Volatile.Read(ref _started) == 1;

    public void CheckStarted() => Interlocked.Increment(ref _inFlight);

    public void CheckCompleted() => Interlocked.Decrement(ref _inFlight);

    public void CheckAbandoned() => Interlocked.Increment(ref _abandoned);

    public void AbandonedCheckCompleted() => Interlocked.Decrement(ref _abandoned);

    public void LoopStarted() => Interlocked.Increment(ref _runningLoops);

    public void LoopExited() => Interlocked.Decrement(ref _runningLoops);

    public void Heartbeat(long timestamp) => Interlocked.Exchange(ref _lastHeartbeat, timestamp);

    public void SetRunning(bool running) => Volatile.Write(ref _started, running ? 1 : 0);
}
