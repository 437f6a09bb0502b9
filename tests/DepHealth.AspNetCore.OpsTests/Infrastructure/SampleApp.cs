namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// The sample application as operators run it: its own process on Kestrel, on a port the system picks
/// (<c>--urls http://127.0.0.1:0</c>), Development configuration (it monitors itself over HTTP and TCP wherever it
/// listens, and a database port), checking every second.
/// </summary>
public sealed class SampleApp : IAsyncDisposable
{
    private readonly RunningApp _app;

    private SampleApp(RunningApp app) => _app = app;

    public int Port => _app.Port;

    public HttpClient Client => _app.Client;

    public string Output => _app.Process.Output;

    /// <summary>Starts the sample; <paramref name="settings"/> (<c>--key=value</c>) come after the defaults and win.</summary>
    public static async Task<SampleApp> StartAsync(params string[] settings)
    {
        var dll = Repo.PathOf("samples", "DepHealth.Sample", "bin", Repo.Configuration, "net10.0", "DepHealth.Sample.dll");
        var app = new SampleApp(await RunningApp.StartAsync(
            dll,
            [
                "--DependencyHealth:InitialDelay=00:00:00",
                "--DependencyHealth:CheckInterval=00:00:01",
                "--DependencyHealth:Timeout=00:00:00.500",
                .. settings,
            ],
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }));
        try
        {
            await Eventually.ValueAsync(() => app.GetAsync("health/live"), r => r.Status == 200, "the sample answers /health/live");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public Task<(int Status, string Body)> GetAsync(string path) => _app.GetAsync(path);

    public ValueTask DisposeAsync()
    {
        _app.Dispose();
        return ValueTask.CompletedTask;
    }
}
