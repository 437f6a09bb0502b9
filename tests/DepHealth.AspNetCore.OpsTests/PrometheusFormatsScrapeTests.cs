using System.Globalization;
using System.Text.Json;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>A real Prometheus scrapes /metrics as OpenMetrics 1.0.0 and as text 0.0.4 (gzip-compressed both) and stores the same series.</summary>
[Trait("Category", "integration")]
public sealed class PrometheusFormatsScrapeTests(FormatsScrapeFixture fixture) : IClassFixture<FormatsScrapeFixture>
{
    [Fact]
    public async Task Both_jobs_scrape_without_errors()
    {
        var targets = (await fixture.Prometheus.GetAsync("api/v1/targets")).GetProperty("data").GetProperty("activeTargets").EnumerateArray();

        Assert.All(targets, t => Assert.True(t.GetProperty("health").GetString() == "up", t.ToString()));
    }

    [Theory]
    [InlineData(FormatsScrapeFixture.OpenMetricsJob, "application/openmetrics-text; version=1.0.0; charset=utf-8")]
    [InlineData(FormatsScrapeFixture.TextJob, "text/plain; version=0.0.4; charset=utf-8")]
    public void Each_job_is_served_its_format_compressed(string job, string contentType)
    {
        Assert.True(fixture.Served.TryGetValue(job, out var served), $"job {job} was served");
        Assert.Equal((contentType, "gzip"), served);
    }

    [Fact]
    public async Task Both_formats_arrive_as_the_same_series_with_the_same_values()
    {
        var openMetrics = await SeriesAsync(FormatsScrapeFixture.OpenMetricsJob);
        var text = await SeriesAsync(FormatsScrapeFixture.TextJob);

        Assert.Equal(61, text.Count);
        Assert.Equal(text.OrderBy(s => s.Key, StringComparer.Ordinal), openMetrics.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    /// <summary>
    /// Every app_dependency_ series of a job, keyed by its labels but job and instance, with <c>le</c> as a number:
    /// Prometheus 2 keeps le="1.0" from OpenMetrics and le="1" from text as they are sent, Prometheus 3 normalizes both.
    /// </summary>
    private async Task<Dictionary<string, string>> SeriesAsync(string job)
    {
        var response = await fixture.Prometheus.QueryAsync($"{{__name__=~\"app_dependency_.+\",job=\"{job}\"}}");
        Assert.True(response.GetProperty("status").GetString() == "success", response.ToString());
        return response.GetProperty("data").GetProperty("result").EnumerateArray().ToDictionary(Key, s => s.GetProperty("value")[1].GetString()!, StringComparer.Ordinal);
    }

    private static string Key(JsonElement series) =>
        string.Join(',', series.GetProperty("metric").EnumerateObject()
            .Where(l => l.Name is not "job" and not "instance")
            .OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => $"{l.Name}={(l.Name == "le" && l.Value.GetString() != "+Inf" ? double.Parse(l.Value.GetString()!, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) : l.Value.GetString())}"));
}
