using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>Kubernetes probes: live never depends on dependencies; ready follows critical endpoints.</summary>
[Trait("Category", "unit")]
public sealed class ProbeTests
{
    [Fact]
    public async Task Live_is_healthy_even_when_every_critical_dependency_is_down()
    {
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("db", "tcp", "db", 5432, critical: true, (_, _) => throw new DependencyCheckException("connection_refused", "down")),
            time: time);
        await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 503, "ready reports the failure");

        var (status, body) = await app.GetAsync("/health/live");

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"healthy"}""", body);
    }

    [Fact]
    public async Task Ready_is_unavailable_until_critical_startup_endpoints_are_checked()
    {
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(
            o => o.InitialDelay = TimeSpan.FromSeconds(5),
            b => b.AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy)),
            time);

        var before = await app.GetAsync("/health/ready");
        await Eventually.TrueAsync(() => time.HasTimerDueIn(TimeSpan.FromSeconds(5)), "the initial delay is armed");
        time.Advance(TimeSpan.FromSeconds(5));
        var after = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 200, "the first check completed");

        Assert.Equal(503, before.Status);
        Assert.Equal("""{"status":"unhealthy","pending":["db:db.svc:5432"]}""", before.Body);
        Assert.Equal("""{"status":"healthy"}""", after.Body);
    }

    [Fact]
    public async Task Ready_is_unavailable_while_a_critical_endpoint_is_unhealthy_and_names_it()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => throw new DependencyCheckException("auth_error", "denied"))
                .AddCheck("cache", "tcp", "cache.svc", 6379, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy)),
            time: new TimerTrackingTimeProvider());

        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => !r.Body.Contains("pending", StringComparison.Ordinal), "both endpoints checked");

        Assert.Equal(503, status);
        Assert.Equal("""{"status":"unhealthy","failing":["db:db.svc:5432"]}""", body);
    }

    [Fact]
    public async Task Failing_non_critical_endpoint_makes_ready_degraded_but_available()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("search", "http", "search.svc", 9200, critical: false, (_, _) => throw new DependencyCheckException("http_503", "down"))
                .AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy)),
            time: new TimerTrackingTimeProvider());

        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Body.Contains("degraded", StringComparison.Ordinal) && !r.Body.Contains("pending", StringComparison.Ordinal), "the failure is seen and the critical endpoint checked");

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"degraded","degraded":["search:search.svc:9200"]}""", body);
    }

    [Fact]
    public async Task Critical_endpoint_added_at_runtime_does_not_make_a_ready_app_unready_before_its_first_check()
    {
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(time: time);
        var gate = new TaskCompletionSource();
        var checker = new ScriptedChecker(time).Then(async _ =>
        {
            await gate.Task;
            throw new DependencyCheckException("connection_refused", "down");
        });

        await app.Registry.AddAsync(SchedulerHarness.Spec("late", checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the first check is running");
        var whileUnknown = await app.GetAsync("/health/ready");
        gate.SetResult();
        var afterFailure = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 503, "the failure is seen");

        Assert.Equal(200, whileUnknown.Status);
        Assert.Equal("""{"status":"unhealthy","failing":["late:127.0.0.1:8080"]}""", afterFailure.Body);
    }

    [Fact]
    public async Task Ready_is_evaluated_once_per_change_of_the_store_and_follows_every_change()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).ThenFail("connection_refused").ThenFail("connection_refused").ThenSucceed();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("db", checker: checker));
        var readiness = harness.Services.GetRequiredService<ReadinessHealthCheck>();
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("ready", readiness, HealthStatus.Unhealthy, null) };
        await harness.WaitForChecksAsync("db", "127.0.0.1", 8080, 1);

        var failing = readiness.CheckHealthAsync(context);
        var sameState = readiness.CheckHealthAsync(context);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync("db", "127.0.0.1", 8080, 2);
        var afterSecondFailure = readiness.CheckHealthAsync(context);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync("db", "127.0.0.1", 8080, 3);
        var recovered = await readiness.CheckHealthAsync(context);
        await harness.Registry.AddAsync(SchedulerHarness.Spec("cache", port: 6379, checker: new ScriptedChecker(harness.Time).ThenFail("timeout")));
        await harness.WaitForChecksAsync("cache", "127.0.0.1", 6379, 1);
        var added = await readiness.CheckHealthAsync(context);
        await harness.Registry.RemoveAsync("cache", "127.0.0.1", 6379);
        var removed = await readiness.CheckHealthAsync(context);

        // Checks that change nothing readiness reads (a second failure) reuse the evaluation; every change is seen at once.
        Assert.Same(failing, sameState);
        Assert.Same(failing, afterSecondFailure);
        Assert.Equal(HealthStatus.Unhealthy, (await failing).Status);
        Assert.Equal(["db:127.0.0.1:8080"], (IEnumerable<string>)(await failing).Data[ReadinessHealthCheck.FailingKey]);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal(["cache:127.0.0.1:6379"], (IEnumerable<string>)added.Data[ReadinessHealthCheck.FailingKey]);
        Assert.Equal(HealthStatus.Healthy, removed.Status);
    }

    [Fact]
    public async Task Registration_failure_status_is_honoured()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => throw new DependencyCheckException("timeout", "slow")),
            time: new TimerTrackingTimeProvider(),
            services: s => s.Configure<HealthCheckServiceOptions>(o =>
                o.Registrations.Single(r => r.Name == DependencyHealthServiceCollectionExtensions.ReadinessCheckName).FailureStatus = HealthStatus.Degraded));

        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Body.Contains("failing", StringComparison.Ordinal), "the failure is seen");

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"degraded","failing":["db:db.svc:5432"]}""", body);
    }

    [Fact]
    public async Task Ready_body_never_contains_url_credentials()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddHttp("api", $"http://admin:s3cr3t-pw@127.0.0.1:{LocalListeners.ClosedPort()}/health", critical: true),
            time: new TimerTrackingTimeProvider());

        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Body.Contains("failing", StringComparison.Ordinal), "the failure is seen");

        Assert.Equal(503, status);
        Assert.DoesNotContain("s3cr3t-pw", body, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_is_unhealthy_when_the_scheduler_is_not_running()
    {
        var statistics = new SchedulerStatistics();
        var check = new LivenessHealthCheck(statistics, new TimerTrackingTimeProvider());

        var result = await check.CheckHealthAsync(Context());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Live_is_unhealthy_when_the_heartbeat_is_stale()
    {
        var time = new TimerTrackingTimeProvider();
        var statistics = new SchedulerStatistics();
        statistics.SetRunning(true);
        statistics.Heartbeat(time.GetTimestamp());
        var check = new LivenessHealthCheck(statistics, time);

        var fresh = await check.CheckHealthAsync(Context());
        time.Advance(LivenessHealthCheck.MaxHeartbeatAge + TimeSpan.FromSeconds(1));
        var stale = await check.CheckHealthAsync(Context());

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
    }

    private static HealthCheckContext Context() => new()
    {
        Registration = new HealthCheckRegistration("live", _ => null!, HealthStatus.Unhealthy, ["live"]),
    };
}
