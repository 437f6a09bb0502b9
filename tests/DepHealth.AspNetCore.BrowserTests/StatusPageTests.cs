using System.Globalization;
using DepHealth.AspNetCore.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace DepHealth.AspNetCore.BrowserTests;

/// <summary>The status page in real headless Chromium against a real Kestrel app with real TCP dependencies.</summary>
[Trait("Category", "browser")]
[Collection(ChromiumGroup.Name)]
public sealed class StatusPageTests(ChromiumFixture chromium)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A path under artifacts/screenshots at the repository root (kept by CI).</summary>
    private static string Screenshot(string name)
    {
        var directory = Path.Combine(Repo.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static async Task<int> GenerationAsync(IPage page) =>
        int.Parse(await page.Locator("html").GetAttributeAsync("data-generation") ?? "0", CultureInfo.InvariantCulture);

    private async Task<IPage> OpenAsync(KestrelApp app, string path = "health/ui")
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(app.Url(path));
        await page.WaitForSelectorAsync("html[data-generation]", new() { Timeout = (float)Deadline.TotalMilliseconds });
        return page;
    }

    private static Task<IJSHandle> WaitForFunctionAsync(IPage page, string expression, object? arg = null) =>
        page.WaitForFunctionAsync(expression, arg, new() { Timeout = (float)Deadline.TotalMilliseconds, PollingInterval = 50 });

    private static Task<int> CheckedRowsAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.querySelectorAll('tr.ep:not([data-health=unknown])').length");

    [Fact]
    public async Task Page_lists_every_endpoint_grouped_by_dependency()
    {
        await using var db = new TcpDependency();
        await using var cache = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("orders-db", "127.0.0.1", db.Port, critical: true)
            .AddTcp("session-cache", "127.0.0.1", cache.Port, critical: false));

        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep[data-health=healthy]').length === 2");

        var groups = await page.Locator("tr.group").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-dependency'))");
        var rows = await page.Locator("tr.ep").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-key'))");
        Assert.Equal(["orders-db", "session-cache"], groups);
        Assert.Equal([$"orders-db:127.0.0.1:{db.Port}", $"session-cache:127.0.0.1:{cache.Port}"], rows);
        Assert.Equal("CRITICAL", await page.Locator($"tr[data-key='orders-db:127.0.0.1:{db.Port}'] .crit").TextContentAsync());
    }

    [Fact]
    public async Task Dependency_taken_down_turns_red_within_two_refreshes()
    {
        await using var db = new TcpDependency();
        await using var cache = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("orders-db", "127.0.0.1", db.Port, critical: true, d => d.Labels["role"] = "primary")
            .AddTcp("session-cache", "127.0.0.1", cache.Port, critical: false));
        var key = $"orders-db:127.0.0.1:{db.Port}";
        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "key => document.querySelector(`tr[data-key='${key}']`)?.getAttribute('data-health') === 'healthy'", key);

        await db.TakeDownAsync();
        await Eventually.ValueAsync(() => app.DetailsOfAsync(key), e => e?.GetProperty("healthy").ValueKind == System.Text.Json.JsonValueKind.False, "the server reports the endpoint unhealthy");
        var generationWhenServerKnew = await GenerationAsync(page);
        await WaitForFunctionAsync(page, "key => document.querySelector(`tr[data-key='${key}']`)?.getAttribute('data-health') === 'unhealthy'", key);
        var generationWhenRed = await GenerationAsync(page);
        var pillColour = await page.Locator($"tr[data-key='{key}'] .pill").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

        Assert.True(generationWhenRed - generationWhenServerKnew <= 2, $"turned red {generationWhenRed - generationWhenServerKnew} refreshes after the server knew");
        Assert.Equal("rgb(217, 45, 32)", pillColour);
        Assert.Equal(key, await page.Locator("tr.ep").First.GetAttributeAsync("data-key"));

        await page.ScreenshotAsync(new() { Path = Screenshot("status-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Failing_endpoints_are_listed_first()
    {
        await using var up = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("aaa-healthy", "127.0.0.1", up.Port, critical: true)
            .AddTcp("zzz-down", "127.0.0.1", TcpDependency.ClosedPort(), critical: false));

        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep:not([data-health=unknown])').length === 2");

        var groups = await page.Locator("tr.group").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-dependency'))");
        Assert.Equal(["zzz-down", "aaa-healthy"], groups);
        Assert.Equal("unhealthy", await page.Locator("tr.ep").First.GetAttributeAsync("data-health"));
    }

    [Fact]
    public async Task Filter_shows_only_matching_endpoints()
    {
        await using var db = new TcpDependency();
        await using var cache = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("orders-db", "127.0.0.1", db.Port, critical: true, d => d.Labels["zone"] = "eu-west")
            .AddTcp("session-cache", "127.0.0.1", cache.Port, critical: false, d => d.Labels["zone"] = "us-east"));
        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep').length === 2");

        await page.Locator("#filter").FillAsync("us-east");
        await WaitForFunctionAsync(page, "() => document.documentElement.getAttribute('data-visible') === '1'");

        Assert.True(await page.Locator($"tr[data-key='session-cache:127.0.0.1:{cache.Port}']").IsVisibleAsync());
        Assert.False(await page.Locator($"tr[data-key='orders-db:127.0.0.1:{db.Port}']").IsVisibleAsync());
        Assert.False(await page.Locator("tr.group[data-dependency='orders-db']").IsVisibleAsync());
    }

    [Fact]
    public async Task Filter_survives_refreshes()
    {
        await using var db = new TcpDependency();
        await using var cache = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("orders-db", "127.0.0.1", db.Port, critical: true)
            .AddTcp("session-cache", "127.0.0.1", cache.Port, critical: false));
        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep').length === 2");

        await page.Locator("#filter").FillAsync("orders");
        var generation = await GenerationAsync(page);
        await WaitForFunctionAsync(page, "g => Number(document.documentElement.getAttribute('data-generation')) >= g + 2", generation);

        Assert.Equal("1", await page.Locator("html").GetAttributeAsync("data-visible"));
        Assert.Equal("orders", await page.Locator("#filter").InputValueAsync());
    }

    [Fact]
    public async Task Labels_are_rendered_as_text_never_as_markup()
    {
        const string hostile = "<img src=x onerror=\"window.__injected=1\"><b>bold</b>";
        await using var db = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b
            .AddTcp("orders-db", "127.0.0.1", db.Port, critical: true, d => d.Labels["note"] = hostile));
        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep').length === 1");

        Assert.Equal("note=" + hostile, await page.Locator("tr.ep .label").TextContentAsync());
        Assert.Equal(0, await page.Locator("#rows img, #rows b").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__injected === undefined"));
    }

    [Fact]
    public async Task Page_requests_nothing_from_other_origins()
    {
        await using var db = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b.AddTcp("orders-db", "127.0.0.1", db.Port, critical: true));
        var page = await chromium.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => { lock (requests) { requests.Add(request.Url); } };

        await page.GotoAsync(app.Url("health/ui"));
        await WaitForFunctionAsync(page, "() => Number(document.documentElement.getAttribute('data-generation')) >= 2");

        string[] seen;
        lock (requests)
        {
            seen = [.. requests];
        }

        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.All(seen, url => Assert.StartsWith(origin + "/", url, StringComparison.Ordinal));
        Assert.Contains(seen, url => url.StartsWith(origin + "/health/details", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_runs_under_its_content_security_policy_without_violations()
    {
        await using var db = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b.AddTcp("orders-db", "127.0.0.1", db.Port, critical: true));
        var page = await chromium.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") { lock (problems) { problems.Add(message.Text); } } };
        page.PageError += (_, error) => { lock (problems) { problems.Add(error); } };

        var response = await page.GotoAsync(app.Url("health/ui"));
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep[data-health=healthy]').length === 1");

        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        lock (problems)
        {
            Assert.Empty(problems);
        }
    }

    [Fact]
    public async Task Sparkline_draws_the_checks_the_page_observed()
    {
        await using var db = new TcpDependency();
        await using var app = await KestrelApp.StartAsync(b => b.AddTcp("orders-db", "127.0.0.1", db.Port, critical: true));
        var page = await OpenAsync(app);

        await WaitForFunctionAsync(page, "() => (document.querySelector('tr.ep .spark polyline')?.getAttribute('points') || '').split(' ').filter(Boolean).length >= 2");

        var title = await page.Locator("tr.ep .spark title").TextContentAsync();
        Assert.Matches("^[0-9]+ checks: 0 failed", title);
    }

    [Fact]
    public async Task Sparkline_uses_the_server_history_when_details_include_it()
    {
        const string details = """
            { "orders-db:db.svc:5432": { "healthy": false, "status": "connection_error", "detail": "connection_refused", "latency_ms": 1.5,
              "type": "tcp", "name": "orders-db", "host": "db.svc", "port": "5432", "critical": true, "last_checked_at": "2026-02-14T10:30:00Z",
              "labels": {}, "history": [
                { "healthy": true, "status": "ok", "latency_ms": 2 }, { "healthy": true, "status": "ok", "latency_ms": 4 },
                { "healthy": false, "status": "timeout", "latency_ms": 500 }, { "healthy": true, "status": "ok", "latency_ms": 3 },
                { "healthy": false, "status": "connection_error", "latency_ms": 1.5 } ] } }
            """;
        await using var app = await KestrelApp.StartAsync(map: a =>
        {
            a.MapGet("/recorded-details", () => Results.Text(details, "application/json"));
            a.MapDependencyHealthDashboard("/ui", "/recorded-details");
        });
        var page = await OpenAsync(app, "ui");
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep').length === 1");

        var points = await page.Locator("tr.ep .spark polyline").GetAttributeAsync("points");
        var marks = await page.Locator("tr.ep .spark path.down").GetAttributeAsync("d");
        Assert.Equal(5, points!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(2, marks!.Count(c => c == 'M'));
    }

    [Fact]
    public async Task Failed_refresh_shows_a_banner_and_keeps_the_last_data()
    {
        const string details = """
            { "orders-db:db.svc:5432": { "healthy": true, "status": "ok", "detail": "ok", "latency_ms": 1.5, "type": "tcp",
              "name": "orders-db", "host": "db.svc", "port": "5432", "critical": true, "last_checked_at": "2026-02-14T10:30:00Z", "labels": {} } }
            """;
        var failing = 0;
        await using var app = await KestrelApp.StartAsync(map: a =>
        {
            a.MapGet("/flaky-details", () => Volatile.Read(ref failing) == 1
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Text(details, "application/json"));
            a.MapDependencyHealthDashboard("/ui", "/flaky-details");
        });
        var page = await OpenAsync(app, "ui");
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep').length === 1");

        Volatile.Write(ref failing, 1);
        await WaitForFunctionAsync(page, "() => !document.getElementById('banner').hidden");

        Assert.Contains("HTTP 503", await page.Locator("#banner").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("tr.ep[data-health=healthy]").CountAsync());
        Assert.Contains("stale", await page.Locator("body").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_stays_usable_with_1000_endpoints()
    {
        await using var app = await KestrelApp.StartAsync();
        var registry = app.Services.GetRequiredService<IEndpointRegistry>();
        for (var dep = 0; dep < 40; dep++)
        {
            for (var host = 0; host < 25; host++)
            {
                var failing = dep % 10 == 3 && host < 2;
                await registry.AddAsync(new EndpointSpec
                {
                    Dependency = $"dep-{dep:D2}",
                    Type = "tcp",
                    Host = $"node-{host:D2}.dep-{dep:D2}.svc",
                    Port = 5000 + host,
                    Critical = dep % 2 == 0,
                    CheckInterval = TimeSpan.FromSeconds(30),
                    CheckerFactory = _ => new FixedChecker(failing),
                });
            }
        }

        var page = await OpenAsync(app);
        await WaitForFunctionAsync(page, "() => document.querySelectorAll('tr.ep:not([data-health=unknown])').length === 1000");
        Assert.Equal("unhealthy", await page.Locator("tr.ep").First.GetAttributeAsync("data-health"));
        await page.ScreenshotAsync(new() { Path = Screenshot("status-page-1000.png") });

        await page.Locator("#filter").FillAsync("node-07.dep-31");
        await WaitForFunctionAsync(page, "() => document.documentElement.getAttribute('data-visible') === '1'");
        var generation = await GenerationAsync(page);
        await WaitForFunctionAsync(page, "g => Number(document.documentElement.getAttribute('data-generation')) > g", generation);
        var renderMs = double.Parse(await page.Locator("html").GetAttributeAsync("data-render-ms") ?? "NaN", CultureInfo.InvariantCulture);

        Assert.True(await page.Locator("tr[data-key='dep-31:node-07.dep-31.svc:5007']").IsVisibleAsync());
        Assert.True(renderMs < 1000, $"a refresh of 1,000 endpoints took {renderMs} ms of script");
    }

    private sealed class FixedChecker(bool failing) : IDependencyChecker
    {
        public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) =>
            ValueTask.FromResult(failing ? CheckResult.Unhealthy("connection_refused", "refused") : CheckResult.Healthy);
    }
}
