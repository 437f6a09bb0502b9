using DepHealth.AspNetCore.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace DepHealth.AspNetCore.BrowserTests;

/// <summary>The status page's history column in real headless Chromium: the kept results as a chart and the share of healthy checks.</summary>
[Trait("Category", "browser")]
[Collection(ChromiumGroup.Name)]
public sealed class StatusPageHistoryTests(ChromiumFixture chromium)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Eight kept results, six of them passed: the third failed below the failure threshold (still healthy), the fifth
    /// turned the endpoint unhealthy. Shown as before a restart (<c>restored</c>).
    /// </summary>
    private const string RestoredDetails = """
        { "orders-db:db.svc:5432": { "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 1.5,
          "type": "tcp", "name": "orders-db", "host": "db.svc", "port": "5432", "critical": true, "last_checked_at": "2026-02-14T10:30:00Z",
          "labels": {}, "flapping": false, "restored": true, "history": [
            { "at": "2026-02-14T10:28:15Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 2 },
            { "at": "2026-02-14T10:28:30Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 4 },
            { "at": "2026-02-14T10:28:45Z", "healthy": true, "status": "timeout", "detail": "timeout", "latency_ms": 500 },
            { "at": "2026-02-14T10:29:00Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 3 },
            { "at": "2026-02-14T10:29:15Z", "healthy": false, "status": "connection_error", "detail": "connection_refused", "latency_ms": 1 },
            { "at": "2026-02-14T10:29:30Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 2 },
            { "at": "2026-02-14T10:29:45Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 2 },
            { "at": "2026-02-14T10:30:00Z", "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 1.5 } ] } }
        """;

    private async Task<IPage> OpenRecordedAsync(KestrelApp app)
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.Url("ui"));
        await page.WaitForFunctionAsync("() => document.querySelectorAll('tr.ep').length === 1", null, new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 50 });
        return page;
    }

    private static Task<KestrelApp> ServeAsync(string details) => KestrelApp.StartAsync(map: a =>
    {
        a.MapGet("/recorded-details", () => Results.Text(details, "application/json"));
        a.MapDependencyHealthDashboard("/ui", "/recorded-details");
    });

    [Fact]
    public async Task Chart_draws_every_kept_result()
    {
        await using var app = await ServeAsync(RestoredDetails);
        var page = await OpenRecordedAsync(app);

        var points = await page.Locator("tr.ep .spark polyline").GetAttributeAsync("points");
        var failed = await page.Locator("tr.ep .spark path.down").GetAttributeAsync("d");

        Assert.Equal(8, points!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1, failed!.Count(c => c == 'M'));
    }

    [Fact]
    public async Task Share_of_healthy_checks_counts_the_kept_results_that_passed()
    {
        await using var app = await ServeAsync(RestoredDetails);
        var page = await OpenRecordedAsync(app);
        var share = page.Locator("tr.ep .share");

        Assert.Equal("75%", await share.TextContentAsync());
        Assert.Equal("6 of 8 kept checks healthy", await share.GetAttributeAsync("title"));
        Assert.True(await share.IsVisibleAsync());
    }

    [Fact]
    public async Task Restored_result_is_marked_as_from_before_the_restart()
    {
        await using var app = await ServeAsync(RestoredDetails);
        var page = await OpenRecordedAsync(app);

        Assert.Equal("ok (before restart)", await page.Locator("tr.ep td.detail").TextContentAsync());
    }

    [Fact]
    public async Task Share_of_a_live_endpoint_follows_its_checks()
    {
        await using var db = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b.AddTcp("orders-db", "127.0.0.1", db.Port, critical: true));
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.Url("health/ui"));

        await page.WaitForFunctionAsync("() => document.querySelector('tr.ep .share')?.getAttribute('data-total') >= 1", null, new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 50 });

        Assert.Equal("100%", await page.Locator("tr.ep .share").TextContentAsync());
    }
}
