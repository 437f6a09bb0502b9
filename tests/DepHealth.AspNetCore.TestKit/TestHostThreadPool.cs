namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// Gives back the thread-pool workers the test host itself keeps blocked, so that the applications these tests start
/// run with the pool a web application on this machine would have.
/// </summary>
/// <remarks>
/// The test host holds two pool workers blocked for the whole run (vstest's message loop and xunit's assembly runner,
/// seen in a dotnet-trace of the load test). With the pool's minimum of one worker per core nothing is left for new work
/// until its starvation check, every 500 ms, adds a thread: timer callbacks then fire half a second late. The minimum is
/// raised by exactly those two, once per process, by <see cref="TestKitFramework"/> before any test runs.
/// </remarks>
public static class TestHostThreadPool
{
    public const int BlockedWorkers = 2;

    private static int s_raised;

    public static void GiveBackBlockedWorkers()
    {
        if (Interlocked.Exchange(ref s_raised, 1) != 0)
        {
            return;
        }

        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(workers + BlockedWorkers, io);
    }
}
