using System.Diagnostics;

namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>
/// Samples thread-pool starvation signals every 100 ms on a thread of its own (a sampler on the pool would be starved
/// with it): work items queued and not yet started, pool threads (the pool injects threads when queued work waits),
/// and how old the value <paramref name="lastTimestamp"/> returns is (the scheduler's 1 s heartbeat, run on the pool).
/// </summary>
public sealed class RuntimeSampler(Func<long> lastTimestamp) : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;

    public int Samples { get; private set; }

    public long MaxPendingWorkItems { get; private set; }

    public double MeanPendingWorkItems { get; private set; }

    public int MinThreads { get; private set; } = int.MaxValue;

    public int MaxThreads { get; private set; }

    public double MaxTimestampAgeMs { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "runtime sampler" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop.Set();
        _thread?.Join();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        long pendingSum = 0;

        // Waiting on the stop signal sets the sampling cadence; nothing depends on its exact timing.
        while (!_stop.Wait(Every))
        {
            var pending = ThreadPool.PendingWorkItemCount;
            var threads = ThreadPool.ThreadCount;
            var age = Stopwatch.GetElapsedTime(lastTimestamp()).TotalMilliseconds;
            Samples++;
            pendingSum += pending;
            MaxPendingWorkItems = Math.Max(MaxPendingWorkItems, pending);
            MinThreads = Math.Min(MinThreads, threads);
            MaxThreads = Math.Max(MaxThreads, threads);
            MaxTimestampAgeMs = Math.Max(MaxTimestampAgeMs, age);
        }

        MeanPendingWorkItems = Samples == 0 ? 0 : pendingSum / (double)Samples;
    }
}
