namespace DepHealth.AspNetCore.Tests.Monitoring;

/// <summary>The snapshot's readiness is what <c>/health/ready</c> answers: 200 exactly when it is ready.</summary>
[Trait("Category", "unit")]
public sealed class SnapshotReadinessTests
{
    [Theory]
    [InlineData(true, "ok", true)]
    [InlineData(true, "fail", false)]
    [InlineData(true, "pending", false)]
    [InlineData(false, "fail", true)]
    [InlineData(false, "pending", true)]
    public async Task Snapshot_readiness_agrees_with_the_ready_probe(bool critical, string outcome, bool ready)
    {
        await using var app = await TestWebApp.StartAsync(
            o => o.InitialDelay = outcome == "pending" ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
            b => b.AddCheck("db", "tcp", "db.svc", 5432, critical, (_, _) => ValueTask.FromResult(
                outcome == "ok" ? CheckResult.Healthy : CheckResult.Unhealthy(CheckDetails.ConnectionRefused))),
            new TimerTrackingTimeProvider());
        var monitor = app.Services.GetRequiredService<IDependencyHealthMonitor>();
        if (outcome != "pending")
        {
            await Eventually.TrueAsync(() => monitor.GetSnapshot().Endpoints.Single().LastCheckedAt is not null, "the endpoint was checked");
        }

        var (status, _) = await app.GetAsync("/health/ready");
        var snapshot = monitor.GetSnapshot();

        Assert.Equal((ready, ready ? 200 : 503), (snapshot.IsReady, status));
    }
}
