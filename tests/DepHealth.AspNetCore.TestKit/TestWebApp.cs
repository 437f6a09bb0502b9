using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>A web app with every endpoint of the package mapped, on the in-memory test server. Defaults as <see cref="SchedulerHarness"/>.</summary>
public sealed class TestWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebApp(WebApplication app, FakeLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public FakeLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public IEndpointRegistry Registry => _app.Services.GetRequiredService<IEndpointRegistry>();

    public static async Task<TestWebApp> StartAsync(
        Action<DependencyHealthOptions>? configure = null,
        Action<IDependencyHealthBuilder>? dependencies = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        IConfiguration? configuration = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var logs = new FakeLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var health = builder.Services.AddDependencyHealth(configuration ?? new ConfigurationBuilder().Build(), TestDefaults.Options(configure));
        dependencies?.Invoke(health);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDependencyHealthProbes();
        app.MapDependencyHealthMetrics();
        app.MapDependencyHealthDetails();
        app.MapEndpointRegistryApi();
        map?.Invoke(app);
        await app.StartAsync();
        return new TestWebApp(app, logs);
    }

    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
