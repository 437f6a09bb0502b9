using System.Text.Json;

namespace DepHealth.AspNetCore.Tests.Probes;

/// <summary>Contract §4: the details JSON, keyed dependency:host:port, endpoints not yet checked included.</summary>
[Trait("Category", "unit")]
public sealed class DetailsTests
{
    [Fact]
    public async Task Details_list_checked_and_unchecked_endpoints_in_the_contract_shape()
    {
        var time = new TimerTrackingTimeProvider();
        var gate = new TaskCompletionSource();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b
                .AddCheck("postgres-main", "postgres", "pg.svc", 5432, critical: true, (_, _) => ValueTask.FromResult(CheckResult.Healthy), d => d.Labels["role"] = "primary")
                .AddCheck("later", "tcp", "later.svc", 1234, critical: false, async (_, _) => { await gate.Task; return CheckResult.Healthy; }),
            time: time);
        await Eventually.ValueAsync(() => app.GetAsync("/health/details"), r => r.Body.Contains("\"detail\":\"ok\"", StringComparison.Ordinal), "the first endpoint is checked");

        var (status, body) = await app.GetAsync("/health/details");

        Assert.Equal(200, status);
        Assert.Equal(
            """{"later:later.svc:1234":{"healthy":null,"status":"unknown","detail":"unknown","latency_ms":0,"type":"tcp","name":"later","host":"later.svc","port":"1234","critical":false,"last_checked_at":null,"labels":{},"flapping":false},"postgres-main:pg.svc:5432":{"healthy":true,"status":"ok","detail":"ok","latency_ms":0,"type":"postgres","name":"postgres-main","host":"pg.svc","port":"5432","critical":true,"last_checked_at":"2026-02-14T10:30:00Z","labels":{"role":"primary"},"flapping":false}}""",
            body);
        gate.SetResult();
    }

    [Fact]
    public async Task Details_report_failure_status_detail_and_latency()
    {
        var time = new TimerTrackingTimeProvider();
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddCheck("slow", "http", "slow.svc", 80, critical: true, async (_, ct) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1500), time, ct);
                throw new DependencyCheckException("http_503", "unavailable");
            }),
            time: time);
        await Eventually.TrueAsync(() => time.HasTimerDueIn(TimeSpan.FromMilliseconds(1500)), "the check's delay is armed");
        time.Advance(TimeSpan.FromMilliseconds(1500));

        var (_, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/details"), r => r.Body.Contains("http_503", StringComparison.Ordinal), "the failure is recorded");

        var endpoint = JsonDocument.Parse(body).RootElement.GetProperty("slow:slow.svc:80");
        Assert.False(endpoint.GetProperty("healthy").GetBoolean());
        Assert.Equal("unhealthy", endpoint.GetProperty("status").GetString());
        Assert.Equal("http_503", endpoint.GetProperty("detail").GetString());
        Assert.Equal(1500, endpoint.GetProperty("latency_ms").GetDouble());
        Assert.Equal("2026-02-14T10:30:01.5Z", endpoint.GetProperty("last_checked_at").GetString());
    }
}
