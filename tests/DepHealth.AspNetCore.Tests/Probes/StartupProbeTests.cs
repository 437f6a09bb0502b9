using Microsoft.AspNetCore.Builder;

namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>/health/startup: 503 until every critical endpoint configured at startup finished its first check, then 200 for good.</summary>
[Trait("Category", "unit")]
public sealed class StartupProbeTests
{
    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Startup_is_unavailable_until_every_critical_startup_endpoint_finished_its_first_check()
    {
        var db = Gate();
        var cache = Gate();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("db", "tcp", "db.svc", 5432, critical: true, async (_, ct) => { await db.Task.WaitAsync(ct); return CheckResult.Healthy; })
                .AddCheck("cache", "tcp", "cache.svc", 6379, critical: true, async (_, ct) => { await cache.Task.WaitAsync(ct); return CheckResult.Healthy; }),
            time: new TimerTrackingTimeProvider());

        var before = await app.GetAsync("/health/startup");
        db.SetResult();
        var oneDone = await Eventually.ValueAsync(() => app.GetAsync("/health/startup"), r => !r.Body.Contains("db:", StringComparison.Ordinal), "db's first check finished");
        cache.SetResult();
        var bothDone = await Eventually.ValueAsync(() => app.GetAsync("/health/startup"), r => r.Status == 200, "cache's first check finished");

        Assert.Equal((503, """{"status":"unhealthy","pending":["cache:cache.svc:6379","db:db.svc:5432"]}"""), before);
        Assert.Equal((503, """{"status":"unhealthy","pending":["cache:cache.svc:6379"]}"""), oneDone);
        Assert.Equal("""{"status":"healthy"}""", bothDone.Body);
    }

    [Fact]
    public async Task Failed_first_check_counts_as_finished()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) => throw new DependencyCheckException("connection_refused", "down")),
            time: new TimerTrackingTimeProvider());

        var ready = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 503 && r.Body.Contains("failing", StringComparison.Ordinal), "the failure is seen");
        var startup = await app.GetAsync("/health/startup");

        Assert.Equal(503, ready.Status);
        Assert.Equal((200, """{"status":"healthy"}"""), startup);
    }

    [Fact]
    public async Task Startup_stays_available_when_a_critical_endpoint_goes_down_later()
    {
        var time = new TimerTrackingTimeProvider();
        var calls = 0;
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("db", "tcp", "db.svc", 5432, critical: true, (_, _) =>
                ValueTask.FromResult(Interlocked.Increment(ref calls) == 1 ? CheckResult.Healthy : CheckResult.Unhealthy("connection_refused", "down"))),
            time: time);
        var started = await Eventually.ValueAsync(() => app.GetAsync("/health/startup"), r => r.Status == 200, "the first check finished");

        await Eventually.TrueAsync(() => time.HasTimerDueIn(TimeSpan.FromSeconds(10)), "the next check is armed");
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 503, "the endpoint went down");
        var afterwards = await app.GetAsync("/health/startup");

        Assert.Equal("""{"status":"healthy"}""", started.Body);
        Assert.Equal((200, """{"status":"healthy"}"""), afterwards);
    }

    [Fact]
    public async Task Non_critical_startup_endpoint_does_not_hold_startup()
    {
        var search = Gate();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("search", "tcp", "search.svc", 9200, critical: false, async (_, ct) => { await search.Task.WaitAsync(ct); return CheckResult.Healthy; }),
            time: new TimerTrackingTimeProvider());

        var startup = await Eventually.ValueAsync(() => app.GetAsync("/health/startup"), r => r.Status == 200, "the scheduler runs");

        Assert.Equal("""{"status":"healthy"}""", startup.Body);
        Assert.False(search.Task.IsCompleted);
    }

    [Fact]
    public async Task Critical_endpoint_added_at_runtime_does_not_hold_startup()
    {
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(time: time);
        var gate = Gate();
        var checker = new ScriptedChecker(time).Then(async ct => await gate.Task.WaitAsync(ct));

        await app.Registry.AddAsync(SchedulerHarness.Spec("late", checker: checker));
        await Eventually.TrueAsync(() => checker.Calls == 1, "the first check is running");
        var startup = await app.GetAsync("/health/startup");

        Assert.Equal((200, """{"status":"healthy"}"""), startup);
    }

    [Fact]
    public async Task Startup_path_is_configurable()
    {
        var db = Gate();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("db", "tcp", "db.svc", 5432, critical: true, async (_, ct) => { await db.Task.WaitAsync(ct); return CheckResult.Healthy; }),
            time: new TimerTrackingTimeProvider(),
            map: a => a.MapDependencyHealthProbes("/k8s/live", "/k8s/ready", "/k8s/started"));

        var before = await app.GetAsync("/k8s/started");
        db.SetResult();
        var after = await Eventually.ValueAsync(() => app.GetAsync("/k8s/started"), r => r.Status == 200, "the first check finished");

        Assert.Equal((503, """{"status":"unhealthy","pending":["db:db.svc:5432"]}"""), before);
        Assert.Equal("""{"status":"healthy"}""", after.Body);
    }
}
