using System.Diagnostics;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// Checks waiting on a server that accepts and never answers hold no thread-pool thread: MySqlConnector waits
/// asynchronously, so many hung checks neither starve the pool nor wait for it to inject threads.
/// </summary>
[Trait("Category", "integration")]
public sealed class MySqlHungServerTests
{
    // Several times the pool's minimum on this machine, so a driver that blocks a thread per check starves it.
    private const int HungChecks = 32;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(1);

    private static TestUrl Url => new(TestEnvironment.MySqlUrl);

    [Fact]
    public async Task ChecksWaitingOnAHungServer_HoldNoThreadPoolThreads()
    {
        await using var server = new SilentServer();
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithHostPort("127.0.0.1", server.Port), critical: true));
        using var cts = new CancellationTokenSource();
        var checks = StartChecks(harness, cts.Token);
        await server.AcceptedAtLeast(HungChecks).WaitAsync(CheckRunner.Generous);

        var busy = BusyWorkerThreads();
        await cts.CancelAsync();
        await Task.WhenAll(checks).WaitAsync(CheckRunner.Generous);

        // Other test classes may run beside this one and keep a few workers busy.
        Assert.InRange(busy, 0, HungChecks / 2);
    }

    [Fact]
    public async Task ChecksOnAHungServer_AllEndAsTimeoutsWithinTheirTimeout()
    {
        await using var server = new SilentServer();
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithHostPort("127.0.0.1", server.Port), critical: true));
        var started = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(CheckTimeout);

        var outcomes = await Task.WhenAll(StartChecks(harness, cts.Token)).WaitAsync(CheckRunner.Generous);
        var elapsed = started.Elapsed;

        // The margin only allows for a loaded machine; a driver that holds a thread per check needs the pool to inject
        // threads (about two a second) before the cancellations can even run.
        Assert.All(outcomes, outcome => Assert.Equal("timeout", outcome.Detail));
        Assert.InRange(elapsed, CheckTimeout, CheckTimeout + TimeSpan.FromSeconds(2));
    }

    private static Task<CheckOutcome>[] StartChecks(Harness harness, CancellationToken cancellationToken)
    {
        var checker = harness.CheckerFor(harness.Single);
        return [.. Enumerable.Range(0, HungChecks).Select(_ => CheckRunner.RunAsync(checker, harness.Single, cancellationToken))];
    }

    /// <summary>Pool workers running a work item now (idle ones excluded).</summary>
    private static int BusyWorkerThreads()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return max - available;
    }
}
