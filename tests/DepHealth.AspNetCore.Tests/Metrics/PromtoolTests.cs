using System.Collections.Frozen;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>The real Prometheus text parser (promtool) accepts /metrics.</summary>
[Trait("Category", "integration")]
public sealed class PromtoolTests
{
    [Fact]
    public async Task Promtool_accepts_the_metrics_endpoint()
    {
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("ok-dep", "http", "ok.svc", 80, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy), d => d.Labels["role"] = "a \"quoted\" \\ value\nwith newline")
                .AddCheck("bad-dep", "postgres", "::1", 5432, critical: false, (_, _) => throw new DependencyCheckException("auth_error", "denied")),
            time: new TimerTrackingTimeProvider());
        await Eventually.ValueAsync(() => app.GetAsync("/health/details"), r => !r.Body.Contains("unknown", StringComparison.Ordinal), "both endpoints checked");
        await app.Registry.AddAsync(new EndpointSpec { Dependency = "runtime", Type = "tcp", Host = "r", Port = 1, Critical = false, Labels = new Dictionary<string, string> { ["zone"] = "z1" }.ToFrozenDictionary(), CheckerFactory = _ => new ScriptedChecker(TimeProvider.System) });
        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/metrics"), r => r.Body.Contains("dependency=\"runtime\"", StringComparison.Ordinal), "the runtime endpoint is checked");
        Assert.Equal(200, status);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);

        Assert.True(exitCode == 0, $"promtool rejected /metrics:\n{output}\n---\n{body}");
    }
}
