namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>/metrics answers GET only, and always with the whole current body: HEAD, other methods and conditional requests are as before formats were negotiated.</summary>
[Trait("Category", "unit")]
public sealed class MetricsRequestTests(MetricsAppFixture fixture) : IClassFixture<MetricsAppFixture>
{
    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Methods_other_than_get_are_not_allowed(string method)
    {
        using var response = await fixture.ScrapeAsync("application/openmetrics-text", "gzip", new HttpMethod(method));

        Assert.Equal(405, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("If-None-Match", "*")]
    [InlineData("If-Modified-Since", "Sat, 01 Jan 2100 00:00:00 GMT")]
    public async Task Conditional_request_gets_the_whole_body(string header, string value)
    {
        using var response = await fixture.ScrapeAsync(headers: (header, value));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("app_dependency_health{", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
