namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>/metrics picks its format from Accept by quality, as Prometheus 2 and 3 send it, with the exact Content-Type.</summary>
[Trait("Category", "unit")]
public sealed class ContentNegotiationTests(MetricsAppFixture fixture) : IClassFixture<MetricsAppFixture>
{
    private const string Text = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    [Theory]
    [InlineData(null, Text)]
    [InlineData("*/*", Text)]
    [InlineData("text/plain", Text)]
    [InlineData("text/*", Text)]
    [InlineData("text/plain; version=0.0.4", Text)]
    [InlineData("application/openmetrics-text", OpenMetrics)]
    [InlineData("application/openmetrics-text; version=1.0.0", OpenMetrics)]
    [InlineData("application/openmetrics-text;version=\"1.0.0\"", OpenMetrics)]
    [InlineData("APPLICATION/OpenMetrics-Text; Version=1.0.0", OpenMetrics)]
    [InlineData("application/*", OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", OpenMetrics)]
    [InlineData("text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.6", OpenMetrics)]
    [InlineData("application/openmetrics-text;q=0.2,text/plain;version=0.0.4;q=0.8", Text)]
    [InlineData("application/openmetrics-text, text/plain", OpenMetrics)]
    [InlineData("text/plain, application/openmetrics-text", Text)]
    [InlineData("application/openmetrics-text;q=0, */*", Text)]
    [InlineData("application/openmetrics-text; version=2.0.0", Text)]
    [InlineData("application/openmetrics-text; version=0.0.1", Text)]
    [InlineData("text/plain; version=1.0.0; escaping=allow-utf-8", Text)]
    [InlineData("text/html", Text)]
    [InlineData("application/openmetrics-text;q=0", Text)]
    [InlineData("not a media type", Text)]
    public async Task Accept_selects_the_format_and_its_exact_content_type(string? accept, string contentType)
    {
        using var response = await fixture.ScrapeAsync(accept);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(contentType, MetricsAppFixture.RawContentType(response));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(contentType == OpenMetrics, body.EndsWith("\n# EOF\n", StringComparison.Ordinal));
    }
}
