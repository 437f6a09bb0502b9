using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;

/// <summary>
/// The built sample as its own process (dotnet exec) on a free loopback port with <c>Registry:Store=sqlite</c>, so a
/// test can kill it with SIGKILL (<see cref="Process.Kill()"/>) in the middle of writes. Only this process is killed.
/// </summary>
public sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", SampleInstance.ApiKey);
    }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SampleProcess> StartAsync(string sqlitePath)
    {
        var dll = SampleDll();
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in new[]
        {
            "exec", dll, "--urls", $"http://127.0.0.1:{port}",
            "--Admin:ApiKey", SampleInstance.ApiKey,
            "--DependencyHealth:Registry:Store", "sqlite",
            "--DependencyHealth:Registry:SqlitePath", sqlitePath,
            "--DependencyHealth:Registry:MutationsPerSecond", "0",
            "--DependencyHealth:InitialDelay", "00:00:00",
            "--Logging:LogLevel:Default", "Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the sample did not start");
        var sample = new SampleProcess(process, port);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the sample exited:\n{sample.Output}");
            try
            {
                using var response = await sample.Client.GetAsync(new Uri("health/live", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return sample;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"the sample did not answer /health/live within 60 s:\n{sample.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, exactly like kill -9.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>The sample's own build output (with its runtimeconfig and deps files), built with the solution.</summary>
    private static string SampleDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DepHealth.AspNetCore.sln")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, "the repository root (DepHealth.AspNetCore.sln) was not found above " + AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(directory!.FullName, "samples", "DepHealth.Sample", "bin", configuration, "net10.0", "DepHealth.Sample.dll");
        Assert.True(File.Exists(dll), $"The sample is not built: {dll} is missing (dotnet build the solution first).");
        return dll;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 100_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
