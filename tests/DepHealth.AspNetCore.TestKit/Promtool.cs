using System.Diagnostics;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>The real Prometheus text parser: <c>promtool check metrics</c> from Debian's <c>prometheus</c> package.</summary>
public static class Promtool
{
    public static string Path()
    {
        var configured = Environment.GetEnvironmentVariable("DEPHEALTH_TEST_PROMTOOL");
        var path = !string.IsNullOrEmpty(configured) ? configured : "/usr/bin/promtool";
        Assert.True(File.Exists(path), $"promtool not found at {path}: install Debian's 'prometheus' package (build/deps.sh does) or set DEPHEALTH_TEST_PROMTOOL.");
        return path;
    }

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="body"/>; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string body)
    {
        var start = new ProcessStartInfo(Path(), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(body);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
