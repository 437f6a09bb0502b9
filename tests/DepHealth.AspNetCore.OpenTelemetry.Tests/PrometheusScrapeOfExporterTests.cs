using System.Globalization;
using System.Text.Json;
using DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests;

/// <summary>A real Prometheus scrapes the OpenTelemetry exporter's endpoint and the package's /metrics of one app.</summary>
[Trait("Category", "integration")]
[Collection(OneAppAtATime.Name)]
public sealed class PrometheusScrapeOfExporterTests(ExporterScrapeFixture fixture) : IClassFixture<ExporterScrapeFixture>
{
    private const string ContractSeries = "app_dependency_(health|latency_seconds_bucket|latency_seconds_sum|latency_seconds_count|status|status_detail)";

    [Fact]
    public async Task Prometheus_scrapes_the_exporter_endpoint_without_errors()
    {
        var targets = (await fixture.Prometheus.GetAsync("api/v1/targets")).GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Where(t => t.GetProperty("labels").GetProperty("job").GetString() == ExporterScrapeFixture.ExporterJob);

        Assert.Equal("up", Assert.Single(targets).GetProperty("health").GetString());
    }

    [Fact]
    public async Task Query_api_returns_the_four_contract_families_from_the_exporter()
    {
        var response = await fixture.Prometheus.QueryAsync($"count by (__name__) ({{__name__=~\"{ContractSeries}\",job=\"{ExporterScrapeFixture.ExporterJob}\"}})");
        var names = Result(response).Select(s => s.GetProperty("metric").GetProperty("__name__").GetString()).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["app_dependency_health", "app_dependency_latency_seconds_bucket", "app_dependency_latency_seconds_count", "app_dependency_latency_seconds_sum", "app_dependency_status", "app_dependency_status_detail"],
            names);
    }

    [Fact]
    public async Task Query_api_returns_the_same_contract_series_from_both_endpoints_but_the_scope_labels()
    {
        var ours = await SeriesAsync(ExporterScrapeFixture.OursJob);
        var exporter = await SeriesAsync(ExporterScrapeFixture.ExporterJob);

        Assert.Equal(BothExportersApp.Endpoints.Length * (1 + 9 + 2 + 8 + 1), ours.Count);
        Assert.Equal(ours.OrderBy(s => s.Key, StringComparer.Ordinal), exporter.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Query_api_returns_the_exporters_latency_buckets_as_the_contracts()
    {
        var response = await fixture.Prometheus.QueryAsync($"count by (le) (app_dependency_latency_seconds_bucket{{job=\"{ExporterScrapeFixture.ExporterJob}\"}})");
        var buckets = Result(response).Select(s => Number(s.GetProperty("metric").GetProperty("le").GetString()!)).Order(StringComparer.Ordinal);

        Assert.Equal(ContractFamilies.Buckets.Select(Number).Order(StringComparer.Ordinal), buckets);
    }

    /// <summary>A job's contract series, keyed by their labels but job, instance and the scope labels, <c>le</c> as a number.</summary>
    private async Task<Dictionary<string, string>> SeriesAsync(string job)
    {
        var response = await fixture.Prometheus.QueryAsync($"{{__name__=~\"{ContractSeries}\",job=\"{job}\"}}");
        return Result(response).ToDictionary(Key, s => s.GetProperty("value")[1].GetString()!, StringComparer.Ordinal);
    }

    private static JsonElement.ArrayEnumerator Result(JsonElement response)
    {
        Assert.True(response.GetProperty("status").GetString() == "success", response.ToString());
        return response.GetProperty("data").GetProperty("result").EnumerateArray();
    }

    private static string Key(JsonElement series) =>
        string.Join(',', series.GetProperty("metric").EnumerateObject()
            .Where(l => l.Name is not "job" and not "instance" && !ContractFamilies.ScopeLabels.Contains(l.Name))
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => $"{l.Name}={(l.Name == "le" ? Number(l.Value.GetString()!) : l.Value.GetString())}"));

    // Prometheus 2 keeps le as sent (1.0 from OpenMetrics, 1 from text), Prometheus 3 normalizes it.
    private static string Number(string le) =>
        le == "+Inf" ? le : double.Parse(le, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
