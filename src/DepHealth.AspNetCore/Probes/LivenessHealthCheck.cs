using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Liveness: healthy while the scheduler runs and its heartbeat is recent. It never looks at any dependency,
/// so a dependency outage can never make Kubernetes restart the pod.
/// </summary>
internal sealed class LivenessHealthCheck(SchedulerStatistics statistics, TimeProvider time) : IHealthCheck
{
    /// <summary>A heartbeat older than this means the scheduler (or the thread pool) is stuck.</summary>
    public static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromSeconds(10);

    private static readonly Task<HealthCheckResult> Healthy = Task.FromResult(HealthCheckResult.Healthy());

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!statistics.IsRunning)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The dependency health scheduler is not running."));
        }

        var age = time.GetElapsedTime(statistics.LastHeartbeat);
        return age <= MaxHeartbeatAge
            ? Healthy
            : Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The dependency health scheduler's heartbeat is stale."));
    }
}
