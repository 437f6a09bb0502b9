using System.Globalization;
using System.Text.Json;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>A real Prometheus scrapes the running sample; the dashboard's PromQL and the alert rules run against it.</summary>
[Trait("Category", "integration")]
public sealed class PrometheusScrapeTests(ScrapedSampleFixture fixture) : IClassFixture<ScrapedSampleFixture>
{
    [Fact]
    public async Task Prometheus_scrapes_app_dependency_health_of_every_sample_endpoint()
    {
        var series = ScrapedSampleFixture.Series(await fixture.Prometheus.QueryAsync($"app_dependency_health{{job=\"{ScrapedSampleFixture.Job}\"}}"));
        string Label(JsonElement s, string name) => s.GetProperty("metric").GetProperty(name).GetString()!;

        Assert.Equal(["example-db", "self-http", "self-tcp"], series.Select(s => Label(s, "dependency")).Order(StringComparer.Ordinal));
        Assert.All(series, s => Assert.Equal("dephealth-sample", Label(s, "name")));
        Assert.All(series, s => Assert.Equal("samples", Label(s, "group")));
        var self = series.Single(s => Label(s, "dependency") == "self-http");
        Assert.Equal("yes", Label(self, "critical"));
        Assert.Equal("1", self.GetProperty("value")[1].GetString());
    }

    [Theory]
    [MemberData(nameof(GrafanaDashboard.InterpolatedExpressions), MemberType = typeof(GrafanaDashboard))]
    public async Task Dashboard_expression_is_accepted_by_prometheus(string where, string expr)
    {
        var response = await fixture.Prometheus.QueryAsync(expr);

        Assert.True(response.GetProperty("status").GetString() == "success", $"{where}: {expr}\n{response}");
    }

    [Fact]
    public async Task Prometheus_rejects_a_malformed_expression()
    {
        // The check above discriminates: a parse error is status "error", not an empty success.
        var response = await fixture.Prometheus.QueryAsync("sum by (dependency (app_dependency_health)");

        Assert.Equal("error", response.GetProperty("status").GetString());
        Assert.Equal("bad_data", response.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Dashboard_health_table_shows_the_sample_endpoints()
    {
        var dashboard = GrafanaDashboard.Load();
        var table = GrafanaDashboard.Panels(dashboard).Single(p => p.GetProperty("type").GetString() == "table");
        var expr = GrafanaDashboard.Interpolate(table.GetProperty("targets")[0].GetProperty("expr").GetString()!, GrafanaDashboard.VariableNames(dashboard));

        var series = ScrapedSampleFixture.Series(await fixture.Prometheus.QueryAsync(expr));

        Assert.Equal(3, series.Length);
    }

    [Fact]
    public async Task Dashboard_latency_percentiles_have_a_value_for_every_sample_dependency()
    {
        var dashboard = GrafanaDashboard.Load();
        var panel = GrafanaDashboard.Panels(dashboard).Single(p => p.GetProperty("title").GetString()!.Contains("percentiles", StringComparison.Ordinal));
        var p99 = GrafanaDashboard.Interpolate(panel.GetProperty("targets")[2].GetProperty("expr").GetString()!, GrafanaDashboard.VariableNames(dashboard));

        // rate() needs two scrapes of a changed counter: poll until they exist.
        var series = await Eventually.ValueAsync(
            async () => ScrapedSampleFixture.Series(await fixture.Prometheus.QueryAsync(p99)),
            s => s.Length == 3 && s.All(x => double.TryParse(x.GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v)),
            "p99 latency exists for the three dependencies",
            TimeSpan.FromSeconds(60));

        Assert.All(series, s => Assert.InRange(double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture), 0, 5));
    }

    [Fact]
    public async Task Alert_rules_evaluate_without_errors_against_the_scraped_sample()
    {
        var rules = await Eventually.ValueAsync(
            async () => (await fixture.Prometheus.GetAsync("api/v1/rules")).GetProperty("data").GetProperty("groups")
                .EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray(),
            r => r.Length == 6 && r.All(x => !x.GetProperty("lastEvaluation").GetString()!.StartsWith("0001", StringComparison.Ordinal)),
            "every rule has been evaluated",
            TimeSpan.FromSeconds(60));

        Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok", r.ToString()));
    }
}
