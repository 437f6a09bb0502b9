using Microsoft.Playwright;

namespace DepHealth.AspNetCore.BrowserTests.Infrastructure;

/// <summary>
/// One real headless Chromium (Debian's <c>chromium</c>, never a downloaded build) for the whole collection.
/// <c>DEPHEALTH_TEST_CHROMIUM</c> overrides the path; a missing browser fails the tests.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started.");

    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable("DEPHEALTH_TEST_CHROMIUM");
        return !string.IsNullOrEmpty(configured) ? configured : "/usr/bin/chromium";
    }

    public async Task InitializeAsync()
    {
        var path = ExecutablePath();
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Chromium not found at {path}: install Debian's 'chromium' package or set DEPHEALTH_TEST_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh page in its own context (no shared cookies or cache between tests).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>Browser tests run one at a time against the shared Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumGroup : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "chromium";
}
