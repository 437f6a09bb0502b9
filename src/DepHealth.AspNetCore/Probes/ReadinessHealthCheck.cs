using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Readiness from the state store only: failing while any critical endpoint is unhealthy, or, during startup,
/// has not completed its first check; degraded while only non-critical endpoints fail. Evaluated once per change of
/// the store's <see cref="HealthStateStore.ReadinessVersion"/> (one read per endpoint) and reused by every probe until
/// the next change: with thousands of endpoints a probe costs no more than with one.
/// </summary>
internal sealed class ReadinessHealthCheck(HealthStateStore store) : IHealthCheck
{
    public const string FailingKey = "failing";
    public const string PendingKey = "pending";
    public const string DegradedKey = "degraded";

    private static readonly Task<HealthCheckResult> Healthy = Task.FromResult(HealthCheckResult.Healthy());

    private Evaluation? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The version is read before the entries: a change while evaluating leaves a stale tag, so the next probe evaluates again.
        var version = store.ReadinessVersion;
        var failureStatus = context.Registration.FailureStatus;
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Version == version && last.FailureStatus == failureStatus)
        {
            return last.Result;
        }

        var result = Evaluate(failureStatus);
        Volatile.Write(ref _last, new Evaluation(version, failureStatus, result));
        return result;
    }

    private Task<HealthCheckResult> Evaluate(HealthStatus failureStatus)
    {
        List<string>? failing = null;
        List<string>? pending = null;
        List<string>? degraded = null;
        foreach (var entry in store.Sorted())
        {
            switch (entry.ReadinessEffect)
            {
                case ReadinessEffect.Failing:
                    (failing ??= []).Add(entry.KeyText);
                    break;
                case ReadinessEffect.Pending:
                    (pending ??= []).Add(entry.KeyText);
                    break;
                case ReadinessEffect.Degraded:
                    (degraded ??= []).Add(entry.KeyText);
                    break;
            }
        }

        if (failing is null && pending is null && degraded is null)
        {
            return Healthy;
        }

        var data = new Dictionary<string, object>(3);
        if (failing is not null)
        {
            data[FailingKey] = failing;
        }

        if (pending is not null)
        {
            data[PendingKey] = pending;
        }

        if (degraded is not null)
        {
            data[DegradedKey] = degraded;
        }

        var result = failing is not null || pending is not null
            ? new HealthCheckResult(failureStatus,
                failing is not null ? "Critical dependencies are unhealthy." : "Critical dependencies have not been checked yet.", data: data)
            : HealthCheckResult.Degraded("Non-critical dependencies are unhealthy.", data: data);
        return Task.FromResult(result);
    }

    /// <summary>A result and the store version and failure status it was evaluated for.</summary>
    private sealed record Evaluation(int Version, HealthStatus FailureStatus, Task<HealthCheckResult> Result);
}
