using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;

/// <summary>
/// The built sample as its own process (dotnet exec) on a loopback port of its own with <c>Registry:Store=sqlite</c>, so a
/// test can kill it with SIGKILL (<see cref="Process.Kill()"/>) in the middle of writes. Only this process is killed.
/// </summary>
/// <remarks>
/// The sample binds port 0 and the test reads the port it got from the host's "Now listening on" line: a port probed
/// free and released by the test could be taken by another listener during the seconds the process takes to start.
/// </remarks>
public sealed partial class SampleProcess : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpClient? _client;

    private SampleProcess(Process process)
    {
        _process = process;
    }

    public HttpClient Client => _client ?? throw new InvalidOperationException("The sample has not started.");

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
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in new[]
        {
            "exec", dll, "--urls", "http://127.0.0.1:0",
            "--Admin:ApiKey", SampleInstance.ApiKey,
            "--DependencyHealth:Registry:Store", "sqlite",
            "--Sqlite:Path", sqlitePath,
            "--DependencyHealth:Registry:MutationsPerSecond", "0",
            "--DependencyHealth:InitialDelay", "00:00:00",
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the sample did not start");
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync();
        try
        {
            await Task.WhenAny(sample._listening.Task, exited).WaitAsync(StartDeadline);
        }
        catch (TimeoutException)
        {
        }

        if (!sample._listening.Task.IsCompletedSuccessfully)
        {
            var output = sample.Output;
            sample.Dispose();
            Assert.Fail(exited.IsCompleted
                ? $"the sample exited:\n{output}"
                : $"the sample did not report its address within {StartDeadline.TotalSeconds:0} s:\n{output}");
        }

        sample._client = new HttpClient { BaseAddress = await sample._listening.Task, Timeout = TimeSpan.FromSeconds(30) };
        sample._client.DefaultRequestHeaders.Add("X-Api-Key", SampleInstance.ApiKey);
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
            catch (HttpRequestException) when (deadline.Elapsed < StartDeadline)
            {
            }

            Assert.True(deadline.Elapsed < StartDeadline, $"the sample did not answer /health/live within {StartDeadline.TotalSeconds:0} s:\n{sample.Output}");
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
        _client?.Dispose();
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

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex ListeningLine();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value + "/"));
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
