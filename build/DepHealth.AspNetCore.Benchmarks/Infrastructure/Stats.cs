using System.Diagnostics;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

internal static class Stats
{
    /// <summary>The nearest-rank percentile of <paramref name="values"/> (sorted in place).</summary>
    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(p / 100 * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }

    public static double Median(List<double> values) => Percentile(values, 50);

    public static double Ms(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / Stopwatch.Frequency;

    /// <summary>CPU time of the whole process (all threads), in microseconds.</summary>
    public static double ProcessCpuMicroseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.Ticks / 10.0;
    }

    /// <summary>CPU time the process spent in the kernel (system calls: futex wake-ups, epoll, timers), in microseconds.</summary>
    public static double ProcessKernelCpuMicroseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.PrivilegedProcessorTime.Ticks / 10.0;
    }

    /// <summary>
    /// The least of several readings of <see cref="ManagedMemory"/> taken 200 ms apart: background threads (Kestrel's
    /// heartbeat, timers, the thread pool) hold transient objects at any one moment; the retained set is what stays.
    /// </summary>
    public static async Task<long> SettledManagedMemoryAsync()
    {
        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(200);
            least = Math.Min(least, ManagedMemory());
        }

        return least;
    }

    /// <summary>Live managed bytes after a full, compacting collection.</summary>
    public static long ManagedMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
