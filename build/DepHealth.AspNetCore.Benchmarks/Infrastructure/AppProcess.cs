using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>
/// An application under measurement in a process of its own (this program with <c>--peer-app</c>): its CPU time is read
/// from outside, so that the relays, the dependency it checks and the load driver are not counted as its own.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private AppProcess(Process process)
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

    public Uri BaseUri { get; private set; } = null!;

    public Uri Url(string path) => new(BaseUri, path);

    /// <summary>Starts the application and waits for its <c>ready URL</c> line.</summary>
    public static async Task<AppProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Bench).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var app = new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("the application process did not start"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            string? line;
            try
            {
                line = await app._process.StandardOutput.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                await app.DisposeAsync();
                throw new TimeoutException($"the application did not start within 60 s; stderr: {app.Errors()}");
            }

            if (line is null)
            {
                await app._process.WaitForExitAsync();
                throw new InvalidOperationException($"the application exited ({app._process.ExitCode}) before it was ready; stderr: {app.Errors()}");
            }

            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                app.BaseUri = new Uri(line["ready ".Length..]);
                return app;
            }
        }
    }

    /// <summary>Checks done so far, as the application counts them (<c>/bench/checks</c>).</summary>
    public async Task<long> ChecksAsync(HttpClient client) =>
        long.Parse(await client.GetStringAsync(Url("/bench/checks")), CultureInfo.InvariantCulture);

    /// <summary>
    /// The process's CPU time (user and kernel, all threads) as it reads it itself (<c>/bench/cpu</c>,
    /// <see cref="Environment.CpuUsage"/>): to the microsecond, where <c>/proc</c> moves in the kernel's 10 ms clock ticks.
    /// </summary>
    public async Task<TimeSpan> PreciseCpuTimeAsync(HttpClient client) =>
        TimeSpan.FromTicks(long.Parse(await client.GetStringAsync(Url("/bench/cpu")), CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("stop");
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }
}
