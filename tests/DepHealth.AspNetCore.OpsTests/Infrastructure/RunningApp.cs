namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// An ASP.NET Core application run as its own process (<c>dotnet exec</c>) on a port the system picks
/// (<c>--urls http://127.0.0.1:0</c>), with a client for the address it reports listening on.
/// </summary>
public sealed class RunningApp : IDisposable
{
    private RunningApp(BackgroundProcess process, Uri address)
    {
        Process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public BackgroundProcess Process { get; }

    public Uri Address { get; }

    public int Port => Address.Port;

    public HttpClient Client { get; }

    public static async Task<RunningApp> StartAsync(string dll, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        Assert.True(File.Exists(dll), $"{dll} is missing: build it first.");
        var process = new BackgroundProcess(
            "dotnet", ["exec", dll, "--urls", "http://127.0.0.1:0", .. arguments], Path.GetDirectoryName(dll)!,
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["DOTNET_NOLOGO"] = "1" });
        try
        {
            return new RunningApp(process, await process.ListeningAddressAsync(TimeSpan.FromSeconds(60)));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Status code and body of a GET; a connection failure is <see cref="HttpRequestException"/>.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        Assert.False(Process.HasExited, $"the application exited:\n{Process.Output}");
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        Client.Dispose();
        Process.Dispose();
    }
}
