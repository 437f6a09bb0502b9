namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>Contract §1: exact HELP/TYPE, label order, escaping, buckets, all 8 status series, one detail series.</summary>
[Trait("Category", "unit")]
public sealed class ExpositionFormatTests
{
    [Fact]
    public async Task Exposition_matches_the_contract_line_for_line()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        var text = harness.RenderMetrics();

        const string pg = FixedMetricsState.Postgres;
        const string cache = FixedMetricsState.Cache;
        var expected = string.Join("\n",
        [
            "# HELP app_dependency_health Health status of a dependency (1 = healthy, 0 = unhealthy)",
            "# TYPE app_dependency_health gauge",
            $"app_dependency_health{{{cache}}} 0",
            $"app_dependency_health{{{pg}}} 1",
            "# HELP app_dependency_latency_seconds Latency of dependency health check in seconds",
            "# TYPE app_dependency_latency_seconds histogram",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.001\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.005\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.01\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.05\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.1\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"0.5\"}} 1",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"1\"}} 1",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"5\"}} 1",
            $"app_dependency_latency_seconds_bucket{{{cache},le=\"+Inf\"}} 1",
            $"app_dependency_latency_seconds_sum{{{cache}}} 0.5",
            $"app_dependency_latency_seconds_count{{{cache}}} 1",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.001\"}} 0",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.005\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.01\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.05\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.1\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"0.5\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"1\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"5\"}} 2",
            $"app_dependency_latency_seconds_bucket{{{pg},le=\"+Inf\"}} 2",
            $"app_dependency_latency_seconds_sum{{{pg}}} 0.0063",
            $"app_dependency_latency_seconds_count{{{pg}}} 2",
            "# HELP app_dependency_status Category of the last check result",
            "# TYPE app_dependency_status gauge",
            $"app_dependency_status{{{cache},status=\"ok\"}} 0",
            $"app_dependency_status{{{cache},status=\"timeout\"}} 0",
            $"app_dependency_status{{{cache},status=\"connection_error\"}} 1",
            $"app_dependency_status{{{cache},status=\"dns_error\"}} 0",
            $"app_dependency_status{{{cache},status=\"auth_error\"}} 0",
            $"app_dependency_status{{{cache},status=\"tls_error\"}} 0",
            $"app_dependency_status{{{cache},status=\"unhealthy\"}} 0",
            $"app_dependency_status{{{cache},status=\"error\"}} 0",
            $"app_dependency_status{{{pg},status=\"ok\"}} 1",
            $"app_dependency_status{{{pg},status=\"timeout\"}} 0",
            $"app_dependency_status{{{pg},status=\"connection_error\"}} 0",
            $"app_dependency_status{{{pg},status=\"dns_error\"}} 0",
            $"app_dependency_status{{{pg},status=\"auth_error\"}} 0",
            $"app_dependency_status{{{pg},status=\"tls_error\"}} 0",
            $"app_dependency_status{{{pg},status=\"unhealthy\"}} 0",
            $"app_dependency_status{{{pg},status=\"error\"}} 0",
            "# HELP app_dependency_status_detail Detailed reason of the last check result",
            "# TYPE app_dependency_status_detail gauge",
            $"app_dependency_status_detail{{{cache},detail=\"connection_refused\"}} 1",
            $"app_dependency_status_detail{{{pg},detail=\"ok\"}} 1",
            "# HELP app_dependency_flaps_total Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)",
            "# TYPE app_dependency_flaps_total counter",
            $"app_dependency_flaps_total{{{cache}}} 0",
            $"app_dependency_flaps_total{{{pg}}} 0",
            "# HELP app_dependency_registry_changes_total Changes applied to the endpoint registry",
            "# TYPE app_dependency_registry_changes_total counter",
            "app_dependency_registry_changes_total{operation=\"add\",result=\"success\"} 3",
            "app_dependency_registry_changes_total{operation=\"remove\",result=\"success\"} 0",
            "app_dependency_registry_changes_total{operation=\"update\",result=\"success\"} 0",
            "# HELP app_dependency_checks_in_flight Dependency checks started and not yet completed, including abandoned ones",
            "# TYPE app_dependency_checks_in_flight gauge",
            "app_dependency_checks_in_flight 0",
            "# HELP app_dependency_config_reloads_total Configuration reloads of the monitored dependencies, by result",
            "# TYPE app_dependency_config_reloads_total counter",
            "app_dependency_config_reloads_total{result=\"failure\"} 0",
            "app_dependency_config_reloads_total{result=\"success\"} 0",
            "# HELP app_dependency_config_reload_duration_seconds Time to validate and apply a configuration reload",
            "# TYPE app_dependency_config_reload_duration_seconds histogram",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.001\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.005\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.01\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.05\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.1\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"0.5\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"1\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"5\"} 0",
            "app_dependency_config_reload_duration_seconds_bucket{le=\"+Inf\"} 0",
            "app_dependency_config_reload_duration_seconds_sum 0",
            "app_dependency_config_reload_duration_seconds_count 0",
            string.Empty,
        ]);
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Endpoint_without_a_completed_check_has_no_series()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        Assert.DoesNotContain("dependency=\"unchecked\"", harness.RenderMetrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_change_replaces_the_detail_series()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        FixedMetricsState.Record(harness, "cache", "::1", 6379, "timeout", 5);
        var text = harness.RenderMetrics();

        var detailLines = text.Split('\n').Where(l => l.StartsWith("app_dependency_status_detail{", StringComparison.Ordinal) && l.Contains("dependency=\"cache\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["app_dependency_status_detail{name=\"app\",group=\"team\",dependency=\"cache\",type=\"redis\",host=\"::1\",port=\"6379\",critical=\"no\",detail=\"timeout\"} 1"], detailLines);
    }

    [Fact]
    public async Task Every_checked_endpoint_exports_exactly_one_status_at_one()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        var statusLines = harness.RenderMetrics().Split('\n').Where(l => l.StartsWith("app_dependency_status{", StringComparison.Ordinal)).ToArray();

        Assert.Equal(16, statusLines.Length);
        Assert.Equal(2, statusLines.Count(l => l.EndsWith(" 1", StringComparison.Ordinal)));
    }
}
