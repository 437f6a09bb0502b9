namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>A web app with two checked endpoints whose state no longer changes (the clock never moves): every scrape renders the same state.</summary>
public sealed class MetricsAppFixture : IAsyncLifetime
{
    private TestWebApp? _app;

    public TestWebApp App => _app ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("ok-dep", "http", "ok.svc", 80, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy), d => d.Labels["role"] = "a \"quoted\" \\ value\nwith newline")
                .AddCheck("bad-dep", "postgres", "::1", 5432, critical: false, (_, _) => throw new DependencyCheckException("auth_error", "denied")),
            time: new TimerTrackingTimeProvider());
        await Eventually.ValueAsync(() => _app.GetAsync("/health/details"), r => !r.Body.Contains("unknown", StringComparison.Ordinal), "both endpoints checked");
    }

    /// <summary>GETs /metrics with the given headers (sent as written, not re-formatted).</summary>
    public async Task<HttpResponseMessage> ScrapeAsync(string? accept = null, string? acceptEncoding = null, HttpMethod? method = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        if (accept is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept", accept));
        }

        if (acceptEncoding is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding));
        }

        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        return await App.Client.SendAsync(request);
    }

    /// <summary>The response's Content-Type exactly as the server wrote it.</summary>
    public static string? RawContentType(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;

    /// <summary>A response header exactly as the server wrote it, content headers included.</summary>
    public static string? RawHeader(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString()
        : response.Content.Headers.NonValidated.TryGetValues(name, out var content) ? content.ToString() : null;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
