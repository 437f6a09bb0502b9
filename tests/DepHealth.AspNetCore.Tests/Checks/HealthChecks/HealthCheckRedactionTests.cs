using System.Buffers;
using System.Text;
using DepHealth.AspNetCore.Probes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DepHealth.AspNetCore.Tests.Checks.HealthChecks.HealthCheckRun;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>A result's description, data and exception message may quote credentials: none reaches logs, metrics or details.</summary>
[Trait("Category", "unit")]
public sealed class HealthCheckRedactionTests
{
    private const string Secret = "pg-secret-7d1c";

    [Fact]
    public async Task Description_data_and_exception_message_appear_in_no_log_metric_or_detail()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("postgres", check);
        await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Unhealthy(
            $"Host=db;Password={Secret}",
            new InvalidOperationException($"connect failed: Password={Secret}"),
            new Dictionary<string, object> { ["connection"] = $"Password={Secret}" })));
        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1001).Count == 1, "the failed check is logged");

        var details = new ArrayBufferWriter<byte>();
        harness.Services.GetRequiredService<HealthDetailsWriter>().Write(details, includeHistory: true);

        Assert.DoesNotContain(Secret, harness.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(details.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_check_log_names_the_registration_status_and_exception_type()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("postgres", check);
        await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Degraded("slow", new InvalidOperationException("x"))));
        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1001).Count == 1, "the failed check is logged");

        var message = Assert.Single(harness.Logs.WithEventId(1001)).Message;

        Assert.EndsWith($"Health check '{Dependency}' returned Degraded with InvalidOperationException.", message, StringComparison.Ordinal);
    }
}
