using System.Runtime.CompilerServices;

namespace DepHealth.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Gives back the thread-pool workers the test host itself keeps blocked, so that the applications these tests start
/// run with the pool a web application on this machine would have.
/// </summary>
/// <remarks>
/// The test host holds two pool workers blocked for the whole run (vstest's message loop and xunit's assembly runner,
/// seen in a dotnet-trace of the load test). The pool counts them among its running workers, so with its minimum of one
/// worker per core nothing is left for new work until its starvation check, every 500 ms, adds a thread: timer
/// callbacks then fire half a second late, and a 500 ms timeout is recorded at a second. No web application has those
/// two workers blocked, so the minimum is raised by exactly them, once, before any test runs. Every test project
/// compiles this file in; a process that loads two of those assemblies (the etcd tests load the core tests) raises it
/// once.
/// </remarks>
internal static class TestHostThreadPool
{
    public const int BlockedWorkers = 2;

    private const string Raised = "DepHealth.Tests.TestHostThreadPoolRaised";

#pragma warning disable CA2255 // A test assembly's process-wide setting, made before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void GiveBackBlockedWorkers()
    {
        if (AppContext.GetData(Raised) is not null)
        {
            return;
        }

        AppContext.SetData(Raised, true);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(workers + BlockedWorkers, io);
    }
}
