using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static DepHealth.AspNetCore.Tests.Configuration.ReloadTestKit;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>Configuration changes are applied live, all or nothing, debounced and spaced, and never touch runtime endpoints.</summary>
[Trait("Category", "unit")]
public sealed class ReloadTests
{
    [Fact]
    public async Task Added_dependency_is_monitored_after_the_debounce_and_audited()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        Dependency(source, "b", 1002);
        var signals = harness.Reloader.Signals;
        var cycles = harness.Reloader.Cycles;
        source.Reload();
        await ParkedAsync(harness, signals);
        harness.Time.Advance(Debounce - TimeSpan.FromMilliseconds(100));
        var earlyRegistered = Registered(harness, "b", 1002);
        harness.Time.Advance(TimeSpan.FromMilliseconds(100));
        await Eventually.TrueAsync(() => harness.Reloader.Cycles > cycles, "the reload was processed");

        Assert.True(Registered(harness, "b", 1002));

        Assert.False(earlyRegistered);
        Assert.Equal(1, harness.ReloadMetrics.Successes);
        Assert.Equal(0, harness.ReloadMetrics.Failures);
        Assert.Equal(EndpointSource.Configuration, harness.Registry.GetAll().Single(e => e.Spec.Dependency == "b").Source);
        var audit = Assert.Single(harness.Logs.WithEventId(4001));
        Assert.Contains("added [b:127.0.0.1:1002], removed [], updated []", audit.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, audit.Level);
    }

    [Fact]
    public async Task Removed_dependency_stops_and_its_series_disappear()
    {
        var source = Source(("a", 1001, false, null), ("b", 1002, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);
        await harness.WaitForChecksAsync("b", "127.0.0.1", 1002, 1);
        Assert.Contains("dependency=\"b\"", harness.RenderMetrics(), StringComparison.Ordinal);

        source.Remove("DependencyHealth:Dependencies:b");
        await ReloadAsync(harness, source);

        Assert.False(Registered(harness, "b", 1002));
        Assert.True(Registered(harness, "a", 1001));
        Assert.DoesNotContain("dependency=\"b\"", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.Contains("removed [b:127.0.0.1:1002]", Assert.Single(harness.Logs.WithEventId(4001)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_dependency_is_replaced_and_readiness_keeps_its_healthy_verdict_until_the_first_check()
    {
        var checkers = new ControlledCheckerFactory();
        var source = Source(("db", 1001, true, "ok"));
        await using var harness = Harness(source, checkers);
        await StartAsync(harness);
        await harness.WaitForChecksAsync("db", "127.0.0.1", 1001, 1);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(harness.Services));

        // The replacement's first check hangs: readiness must not drop because it has no result yet.
        source.Set("DependencyHealth:Dependencies:db:Labels:mode", "hold");
        await ReloadAsync(harness, source);

        Assert.Equal("hold", harness.Registry.GetAll().Single().Spec.Labels["mode"]);
        Assert.Equal(0, harness.State("db", "127.0.0.1", 1001).CheckCount);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(harness.Services));
        Assert.Contains("updated [db:127.0.0.1:1001]", Assert.Single(harness.Logs.WithEventId(4001)).Message, StringComparison.Ordinal);
        checkers.ReleaseHeld();
    }

    [Fact]
    public async Task Changed_unhealthy_dependency_keeps_readiness_down_until_its_first_check()
    {
        var checkers = new ControlledCheckerFactory();
        var source = Source(("db", 1001, true, "fail"));
        await using var harness = Harness(source, checkers);
        await StartAsync(harness);
        await harness.WaitForChecksAsync("db", "127.0.0.1", 1001, 1);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(harness.Services));

        source.Set("DependencyHealth:Dependencies:db:Labels:mode", "hold");
        await ReloadAsync(harness, source);

        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(harness.Services));
        checkers.ReleaseHeld();
        await harness.WaitForChecksAsync("db", "127.0.0.1", 1001, 1);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(harness.Services));
    }

    [Fact]
    public async Task Runtime_endpoints_are_never_touched_and_a_configured_key_that_collides_with_one_is_rejected()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);
        await harness.Registry.AddAsync(new EndpointSpec { Dependency = "rt", Type = "tcp", Host = "127.0.0.1", Port = 2001, Critical = false });

        source.Remove("DependencyHealth:Dependencies:a");
        await ReloadAsync(harness, source);
        Assert.Equal(["rt"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));

        Dependency(source, "rt", 2001);
        Dependency(source, "c", 1003);
        await ReloadAsync(harness, source, MinInterval);

        Assert.Equal(1, harness.ReloadMetrics.Failures);
        var endpoint = Assert.Single(harness.Registry.GetAll());
        Assert.Equal(EndpointSource.Runtime, endpoint.Source);
        Assert.Contains("DependencyHealth:Dependencies:rt: endpoint rt:127.0.0.1:2001 was added at runtime", Assert.Single(harness.Logs.WithEventId(4002)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_changes_nothing_is_counted_and_logged_with_its_key_then_a_fix_applies()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        // b is fine, c lacks Critical: nothing of the change is applied.
        Dependency(source, "b", 1002);
        source.Set("DependencyHealth:Dependencies:c:Type", "tcp").Set("DependencyHealth:Dependencies:c:Host", "127.0.0.1").Set("DependencyHealth:Dependencies:c:Port", "1003");
        source.Remove("DependencyHealth:Dependencies:a");
        await ReloadAsync(harness, source);

        Assert.Equal(["a"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
        Assert.Equal(1, harness.ReloadMetrics.Failures);
        var failure = Assert.Single(harness.Logs.WithEventId(4002));
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("DependencyHealth:Dependencies:c:Critical: is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("app_dependency_config_reloads_total{result=\"failure\"} 1", harness.RenderMetrics(), StringComparison.Ordinal);

        source.Set("DependencyHealth:Dependencies:c:Critical", "false");
        await ReloadAsync(harness, source, MinInterval);

        Assert.Equal(["b", "c"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
        Assert.Equal(1, harness.ReloadMetrics.Successes);
    }

    [Fact]
    public async Task A_second_different_invalid_configuration_is_logged_and_counted_again()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("DependencyHealth:Dependencies:a:Critcal", "true");
        await ReloadAsync(harness, source);
        source.Remove("DependencyHealth:Dependencies:a:Critcal").Set("DependencyHealth:Dependencies:a:Port", "70000");
        await ReloadAsync(harness, source, MinInterval);

        Assert.True(Registered(harness, "a", 1001));
        Assert.Equal(2, harness.ReloadMetrics.Failures);
        var failures = harness.Logs.WithEventId(4002);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(LogLevel.Error, f.Level));
        Assert.Contains("'Critcal'", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("DependencyHealth:Dependencies:a:Port", failures[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_invalid_configuration_again_is_counted_once()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("DependencyHealth:Dependencies:a:Critcal", "true");
        await ReloadAsync(harness, source);
        source.Set("Unrelated:Setting", "1");
        await ReloadAsync(harness, source, MinInterval);

        Assert.Equal(1, harness.ReloadMetrics.Failures);
        Assert.Single(harness.Logs.WithEventId(4002));
    }

    [Fact]
    public async Task Value_that_cannot_be_converted_is_rejected_naming_the_key_but_not_the_value()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("DependencyHealth:Dependencies:a:Port", "s3cr3t-port");
        await ReloadAsync(harness, source);

        Assert.True(Registered(harness, "a", 1001));
        Assert.Equal(1, harness.ReloadMetrics.Failures);
        var failure = Assert.Single(harness.Logs.WithEventId(4002)).Message;
        Assert.Contains("DependencyHealth:Dependencies:a:Port: cannot be converted to Int32", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", harness.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Misspelt_key_is_rejected()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("DependencyHealth:Dependencies:a:Critcal", "true");
        await ReloadAsync(harness, source);

        Assert.Equal(1, harness.ReloadMetrics.Failures);
        Assert.Contains("'Critcal'", Assert.Single(harness.Logs.WithEventId(4002)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Burst_of_changes_within_the_debounce_is_one_reload()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        for (var i = 0; i < 5; i++)
        {
            var signals = harness.Reloader.Signals;
            source.Set("DependencyHealth:Dependencies:a:Port", (1100 + i).ToString());
            source.Reload();
            await ParkedAsync(harness, signals);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, harness.Reloader.Cycles);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => harness.Reloader.Cycles == 2, "the burst was reloaded");
        harness.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, harness.ReloadMetrics.Successes);
        Assert.Equal(2, harness.Reloader.Cycles);
        Assert.Equal(1104, Assert.Single(harness.Registry.GetAll()).Spec.Port);
    }

    [Fact]
    public async Task Change_inside_the_minimum_interval_is_applied_when_it_ends()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);
        Dependency(source, "b", 1002);
        await ReloadAsync(harness, source);

        Dependency(source, "c", 1003);
        var signals = harness.Reloader.Signals;
        source.Reload();
        await ParkedAsync(harness, signals);
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var registeredEarly = Registered(harness, "c", 1003);
        await Eventually.TrueAsync(() => harness.Reloader.IsWaiting, "the reload waits for the minimum interval");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => Registered(harness, "c", 1003), "c is registered when the interval ends");

        Assert.False(registeredEarly);
        Assert.Equal(2, harness.ReloadMetrics.Successes);
    }

    [Fact]
    public async Task Global_setting_change_is_not_applied_and_warns()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("DependencyHealth:FailureThreshold", "3");
        Dependency(source, "b", 1002);
        await ReloadAsync(harness, source);

        Assert.True(Registered(harness, "b", 1002));
        Assert.Equal(1, harness.Registry.GetAll().Single(e => e.Spec.Dependency == "b").Settings.FailureThreshold);
        var warning = Assert.Single(harness.Logs.WithEventId(4004));
        Assert.Contains("DependencyHealth:FailureThreshold", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unrelated_change_is_neither_applied_nor_counted()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);

        source.Set("Logging:LogLevel:Default", "Debug");
        await ReloadAsync(harness, source);

        Assert.Equal(0, harness.ReloadMetrics.Successes + harness.ReloadMetrics.Failures);
        Assert.Empty(harness.Logs.WithEventId(4001));
    }

    [Fact]
    public async Task Disabled_reload_ignores_changes()
    {
        var source = Source(("a", 1001, false, null));
        source.Set("DependencyHealth:Reload:Enabled", "false");
        await using var harness = Harness(source);
        await harness.StartAsync();

        Dependency(source, "b", 1002);
        source.Reload();
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, harness.Reloader.Signals);
        Assert.False(Registered(harness, "b", 1002));
    }

    [Fact]
    public async Task Metrics_expose_reload_counts_and_duration()
    {
        var source = Source(("a", 1001, false, null));
        await using var harness = Harness(source);
        await StartAsync(harness);
        var before = harness.RenderMetrics();

        Dependency(source, "b", 1002);
        await ReloadAsync(harness, source);
        source.Set("DependencyHealth:Dependencies:b:Critical", "maybe");
        await ReloadAsync(harness, source, MinInterval);
        var after = harness.RenderMetrics();

        Assert.Contains("# TYPE app_dependency_config_reloads_total counter\napp_dependency_config_reloads_total{result=\"failure\"} 0\napp_dependency_config_reloads_total{result=\"success\"} 0\n", before, StringComparison.Ordinal);
        Assert.Contains("app_dependency_config_reloads_total{result=\"failure\"} 1\napp_dependency_config_reloads_total{result=\"success\"} 1\n", after, StringComparison.Ordinal);
        Assert.Contains("# TYPE app_dependency_config_reload_duration_seconds histogram\n", after, StringComparison.Ordinal);
        Assert.Contains("app_dependency_config_reload_duration_seconds_bucket{le=\"+Inf\"} 2\n", after, StringComparison.Ordinal);
        Assert.Contains("app_dependency_config_reload_duration_seconds_count 2\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_carry_the_reloading_header_while_a_reload_is_applied()
    {
        var checkers = new ControlledCheckerFactory();
        var source = Source(("a", 1001, false, null));
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(
            time: time,
            configuration: source.BuildConfiguration(),
            dependencies: b => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IDependencyCheckerFactory>(b.Services, checkers));
        var reloader = (DepHealth.AspNetCore.Configuration.ConfigurationReloader)app.Services.GetService(typeof(DepHealth.AspNetCore.Configuration.ConfigurationReloader))!;
        await Eventually.TrueAsync(() => reloader.IsWaiting, "the startup look waits");
        time.Advance(Debounce);
        await Eventually.TrueAsync(() => reloader.Cycles == 1, "the startup look is done");

        checkers.BlockCreate();
        Dependency(source, "slow", 1002, host: "blocked");
        var signals = reloader.Signals;
        source.Reload();
        await Eventually.TrueAsync(() => reloader.Signals > signals && reloader.IsWaiting, "the reloader waits");

        // Advancing the manual clock runs the reload on the advancing thread, which the blocked factory then holds.
        var advance = Task.Run(() => time.Advance(Debounce));
        await Eventually.TrueAsync(() => checkers.Creating == 1, "the reload is creating the new checker");
        using var during = await app.Client.GetAsync(new Uri("/health/details", UriKind.Relative));
        checkers.ReleaseCreate();
        await advance;
        await Eventually.TrueAsync(() => reloader.Cycles == 2, "the reload is done");
        using var after = await app.Client.GetAsync(new Uri("/health/details", UriKind.Relative));

        Assert.Equal("true", Assert.Single(during.Headers.GetValues("X-DepHealth-Reloading")));
        Assert.False(after.Headers.Contains("X-DepHealth-Reloading"));
        Assert.Contains("\"slow:blocked:1002\"", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_endpoint_replaced_before_its_first_check_still_holds_readiness()
    {
        var checkers = new ControlledCheckerFactory();
        var source = Source(("db", 1001, true, "hold"));
        await using var harness = Harness(source, checkers);
        await StartAsync(harness);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(harness.Services));

        source.Set("DependencyHealth:Dependencies:db:Labels:role", "primary");
        await ReloadAsync(harness, source);

        Assert.Equal("primary", harness.Registry.GetAll().Single().Spec.Labels["role"]);
        Assert.Equal(HealthStatus.Unhealthy, await ReadinessAsync(harness.Services));
        checkers.ReleaseHeld();
        await harness.WaitForChecksAsync("db", "127.0.0.1", 1001, 1);
        Assert.Equal(HealthStatus.Healthy, await ReadinessAsync(harness.Services));
    }
}
