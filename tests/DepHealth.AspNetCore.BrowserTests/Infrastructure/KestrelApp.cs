using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.BrowserTests.Infrastructure;

/// <summary>A real Kestrel app on 127.0.0.1 (a random port) with probes, details and the status page mapped.</summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<KestrelApp> StartAsync(
        Action<IDependencyHealthBuilder>? dependencies = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var health = builder.Services.AddDependencyHealth(o =>
        {
            o.Name = "browser-test";
            o.Group = "ops";
            // Every test needs its loopback TCP checks to succeed (healthy rows, "0 failed" sparklines, failing-first
            // ordering), and a loaded machine can stall a connect past a short timeout; none needs one to elapse.
            // The timeout must be shorter than the interval.
            o.CheckInterval = TimeSpan.FromSeconds(6);
            o.Timeout = TimeSpan.FromSeconds(5);
            o.InitialDelay = TimeSpan.Zero;
            o.SpreadFirstChecks = false;
        });
        dependencies?.Invoke(health);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        if (map is not null)
        {
            map(app);
        }
        else
        {
            app.MapDependencyHealthProbes();
            app.MapDependencyHealthDetails();
            app.MapDependencyHealthDashboard();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new KestrelApp(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The details JSON of one endpoint, or null while it is not listed.</summary>
    public async Task<JsonElement?> DetailsOfAsync(string key)
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync(new Uri("health/details", UriKind.Relative)));
        return doc.RootElement.TryGetProperty(key, out var entry) ? entry.Clone() : null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
