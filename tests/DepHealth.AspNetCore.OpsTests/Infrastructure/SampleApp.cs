namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// The sample application as operators run it: its own process on Kestrel (127.0.0.1, a free port), Development
/// configuration (it monitors itself over HTTP and TCP, and a database port), checking every second.
/// </summary>
public sealed class SampleApp : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private SampleApp(BackgroundProcess process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static async Task<SampleApp> StartAsync()
    {
        var directory = Repo.PathOf("samples", "DepHealth.Sample", "bin", Repo.Configuration, "net10.0");
        var dll = Path.Combine(directory, "DepHealth.Sample.dll");
        Assert.True(File.Exists(dll), $"The sample is not built: {dll} is missing (dotnet build the solution first).");
        var port = LocalPorts.Unused();
        var process = new BackgroundProcess("dotnet", [
            "exec", dll,
            "--urls", $"http://127.0.0.1:{port}",
            "--DependencyHealth:InitialDelay=00:00:00",
            "--DependencyHealth:CheckInterval=00:00:01",
            "--DependencyHealth:Timeout=00:00:00.500",
            $"--DependencyHealth:Dependencies:self-http:Url=http://127.0.0.1:{port}",
            $"--DependencyHealth:Dependencies:self-tcp:Port={port}",
        ], directory, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_NOLOGO"] = "1" });
        var app = new SampleApp(process, port);
        try
        {
            await Eventually.ValueAsync(
                async () =>
                {
                    Assert.False(process.HasExited, $"the sample exited:\n{process.Output}");
                    using var response = await app.Client.GetAsync(new Uri("health/live", UriKind.Relative));
                    return (int)response.StatusCode;
                },
                status => status == 200,
                "the sample answers /health/live");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
