using System.Diagnostics;
using System.Text;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>A server process started by a test; its output is kept for failure messages; disposing kills it (by its own handle).</summary>
public sealed class BackgroundProcess : IDisposable
{
    private const string ListeningPrefix = "Now listening on: ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public BackgroundProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Bounded: a chatty server must not grow the test's memory without limit.
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Asks the process to stop as a service manager does (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        var signal = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(signal.ExitCode == 0, $"kill -TERM {_process.Id}: {signal}");
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the process did not exit within {timeout.TotalSeconds} s of SIGTERM:\n{Output}");
        }
    }

    /// <summary>The first address ASP.NET Core reports listening on (<c>Now listening on: …</c>), once it has.</summary>
    public async Task<Uri> ListeningAddressAsync(TimeSpan? timeout = null)
    {
        var line = await Eventually.ValueAsync(
            () =>
            {
                Assert.False(HasExited, $"the process exited:\n{Output}");
                return Task.FromResult(Output.Split('\n').FirstOrDefault(l => l.Contains(ListeningPrefix, StringComparison.Ordinal)));
            },
            line => line is not null,
            "the process reports the address it listens on",
            timeout);
        return new Uri(line![(line!.IndexOf(ListeningPrefix, StringComparison.Ordinal) + ListeningPrefix.Length)..].Trim());
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
