namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>The real tools these tests drive. A missing tool fails the test with what to install.</summary>
public static class Tools
{
    public static string Promtool() => Require("DEPHEALTH_TEST_PROMTOOL", "/usr/bin/promtool", "promtool");

    public static string Prometheus() => Require("DEPHEALTH_TEST_PROMETHEUS", "/usr/bin/prometheus", "prometheus");

    private static string Require(string variable, string fallback, string name)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        var path = !string.IsNullOrEmpty(configured) ? configured : fallback;
        Assert.True(File.Exists(path), $"{name} not found at {path}: install Debian's 'prometheus' package or set {variable}.");
        return path;
    }
}
