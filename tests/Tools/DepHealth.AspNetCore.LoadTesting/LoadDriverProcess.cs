using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>
/// The load driver (<c>tests/Tools/DepHealth.AspNetCore.LoadDriver</c>, copied to <c>load-driver/</c> by the build) as a
/// child process: its load, its CPU and its response buffers stay out of the process under test.
/// </summary>
public sealed class LoadDriverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private LoadDriverProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>What the driver wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the load both users of the driver run: <c>/health/ready</c> probed and <c>/metrics</c> scraped at fixed
    /// rates against <paramref name="baseUrl"/>, every scrape checked against <paramref name="shape"/>, a warm-up of the
    /// same load, then (after <see cref="GoAsync"/>) the measured window.
    /// </summary>
    public static LoadDriverProcess StartProbesAndScrapes(
        string baseUrl, ScrapeShape shape, double probesPerSecond, double scrapesPerSecond, TimeSpan warmUp, TimeSpan window) =>
        Start(
        [
            "--base-url", baseUrl,
            "--probe-path", "/health/ready",
            "--probe-rate", probesPerSecond.ToString(CultureInfo.InvariantCulture),
            "--scrape-path", "/metrics",
            "--scrape-rate", scrapesPerSecond.ToString(CultureInfo.InvariantCulture),
            "--scrape-lines", shape.Lines.ToString(CultureInfo.InvariantCulture),
            "--scrape-last-line-prefix", shape.LastLinePrefix,
            "--warmup", warmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--duration", window.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);

    public static LoadDriverProcess Start(IEnumerable<string> arguments)
    {
        var driver = Path.Combine(AppContext.BaseDirectory, "load-driver", "DepHealth.AspNetCore.LoadDriver.dll");
        if (!File.Exists(driver))
        {
            throw new FileNotFoundException($"The load driver was not built beside the tests (expected {driver}); build this project.", driver);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(driver);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new LoadDriverProcess(Process.Start(start) ?? throw new InvalidOperationException("the load driver did not start"));
    }

    /// <summary>Reads stdout until the summary line of <paramref name="phase"/>, within <paramref name="timeout"/>.</summary>
    public async Task<(JsonElement Summary, string Line)> ReadSummaryAsync(string phase, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no '{phase}' summary from the load driver within {timeout}; stderr: {StandardError}");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"the load driver ended before its '{phase}' summary; stderr: {StandardError}");
            }

            if (line.StartsWith('{'))
            {
                var summary = JsonDocument.Parse(line).RootElement.Clone();
                if (summary.GetProperty("phase").ValueEquals(phase))
                {
                    return (summary, line);
                }
            }
        }
    }

    /// <summary>Tells the driver, waiting after its warm-up, to start the measured window.</summary>
    public async Task GoAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the driver to exit, within <paramref name="timeout"/>; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host that runs these tests (the SDK names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
