
namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>A probe, a scrape or a details request costs a state read: none of them ever touches a dependency.</summary>
[Trait("Category", "unit")]
public sealed class ZeroConnectionProbeTests
{
    [Fact]
    public async Task A_thousand_probe_and_scrape_requests_open_no_connection_to_the_dependency()
    {
        await using var dependency = new SilentListener();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddTcp("db", "127.0.0.1", dependency.Port, critical: true),
            time: new TimerTrackingTimeProvider());
        await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 200, "the scheduled check has run");

        // The check's connect completes in the kernel's backlog; the listener counts it when its accept loop gets to it.
        await dependency.FirstAccept.Task.WaitAsync(Eventually.DefaultTimeout);
        var acceptsAfterScheduledCheck = dependency.Accepts;

        var paths = new[] { "/health/ready", "/health/live", "/metrics", "/health/details" };
        for (var i = 0; i < 1000; i++)
        {
            var (status, _) = await app.GetAsync(paths[i % paths.Length]);
            Assert.Equal(200, status);
        }

        Assert.Equal(1, acceptsAfterScheduledCheck);
        Assert.Equal(acceptsAfterScheduledCheck, dependency.Accepts);
    }
}
