using DepHealth.AspNetCore.Configuration;
using static DepHealth.AspNetCore.Tests.Configuration.ReloadTestKit;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>
/// The host may stop the reloader twice at once and dispose it while a stop is still running: <c>WebApplication.Run</c>
/// stops and disposes the host on its own thread when the caller's <c>StopAsync</c> (a test's
/// <c>WebApplicationFactory</c>, an orchestrator) is still stopping the services.
/// </summary>
[Trait("Category", "unit")]
public sealed class ReloaderLifecycleTests
{
    private const int Rounds = 500;

    [Fact]
    public async Task Stop_and_dispose_at_the_same_time_neither_throw_nor_hang()
    {
        await using var harness = Harness(Source(("a", 1001, false, null)));
        for (var round = 0; round < Rounds; round++)
        {
            var reloader = ActivatorUtilities.CreateInstance<ConfigurationReloader>(harness.Services);
            await reloader.StartAsync(CancellationToken.None);
            using var together = new Barrier(2);
            var stopping = Task.Run(async () =>
            {
                together.SignalAndWait();
                await reloader.StopAsync(CancellationToken.None);
            });
            var disposing = Task.Run(() =>
            {
                together.SignalAndWait();
                reloader.Dispose();
            });

            // Bounded: the race this guards against left the stop waiting forever for a loop never told to end.
            await Task.WhenAll(stopping, disposing).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Two_stops_at_the_same_time_both_return_once_the_loop_has_ended()
    {
        await using var harness = Harness(Source(("a", 1001, false, null)));
        var reloader = ActivatorUtilities.CreateInstance<ConfigurationReloader>(harness.Services);
        await reloader.StartAsync(CancellationToken.None);

        await Task.WhenAll(reloader.StopAsync(CancellationToken.None), reloader.StopAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
        reloader.Dispose();
        await reloader.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Dispose_without_a_stop_ends_the_subscription_to_changes()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        var reloader = ActivatorUtilities.CreateInstance<ConfigurationReloader>(harness.Services);
        await reloader.StartAsync(CancellationToken.None);
        var signals = reloader.Signals;

        reloader.Dispose();
        source.Reload();

        Assert.Equal(signals, reloader.Signals);
    }
}
