using System.Text.Json;
using System.Text.RegularExpressions;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>samples/grafana/dephealth-dashboard.json: valid JSON, the panels operators expect, over the contract's metrics.</summary>
[Trait("Category", "integration")]
public sealed class GrafanaDashboardTests
{
    private static readonly string[] ContractSeries =
    [
        "app_dependency_health", "app_dependency_status", "app_dependency_status_detail",
        "app_dependency_latency_seconds_bucket", "app_dependency_latency_seconds_count", "app_dependency_latency_seconds_sum",
    ];

    [Fact]
    public void Dashboard_is_valid_json()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(GrafanaDashboard.FilePath));

        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("panels").ValueKind);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("uid").GetString()));
    }

    [Fact]
    public void Dashboard_has_a_health_table_a_status_timeline_and_latency_percentiles_by_dependency()
    {
        var panels = GrafanaDashboard.Panels(GrafanaDashboard.Load()).ToArray();
        string[] Exprs(JsonElement p) => [.. p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)];

        var table = Assert.Single(panels, p => p.GetProperty("type").GetString() == "table");
        var timeline = Assert.Single(panels, p => p.GetProperty("type").GetString() == "state-timeline");
        var latency = Assert.Single(panels, p => Exprs(p).Any(e => e.Contains("histogram_quantile", StringComparison.Ordinal)));

        Assert.Contains(Exprs(table), e => e.StartsWith("app_dependency_health{", StringComparison.Ordinal));
        Assert.Contains(Exprs(timeline), e => e.StartsWith("app_dependency_health{", StringComparison.Ordinal));
        Assert.Equal(["0.5", "0.95", "0.99"], Exprs(latency).Select(e => Regex.Match(e, @"histogram_quantile\(([0-9.]+)").Groups[1].Value));
        Assert.All(Exprs(latency), e => Assert.Contains("sum by (dependency, le)", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_expression_reads_only_the_contract_metrics()
    {
        var expressions = GrafanaDashboard.Expressions(GrafanaDashboard.Load());

        Assert.NotEmpty(expressions);
        Assert.All(expressions, item =>
        {
            var metrics = Regex.Matches(item.Expr, @"\bapp_[a-z_]+").Select(m => m.Value).ToArray();
            Assert.True(metrics.Length > 0, $"{item.Where} reads no dephealth metric: {item.Expr}");
            Assert.All(metrics, m => Assert.Contains(m, ContractSeries));
        });
    }

    [Fact]
    public void Every_panel_queries_the_datasource_variable()
    {
        var panels = GrafanaDashboard.Panels(GrafanaDashboard.Load()).Where(p => p.TryGetProperty("targets", out _));

        Assert.All(panels, p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
    }
}
