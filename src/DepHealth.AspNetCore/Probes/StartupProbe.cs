using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Serves <c>/health/startup</c> for a Kubernetes startupProbe: 503 until the scheduler runs and every critical
/// endpoint configured at startup has finished its first check (healthy or not), then 200 for good, whatever happens
/// later. It reads the state store only and logs nothing.
/// </summary>
internal sealed class StartupProbe(HealthStateStore store, SchedulerStatistics statistics)
{
    private const string EntryName = "dephealth-startup";

    private static readonly HealthReport Started = new(
        new Dictionary<string, HealthReportEntry> { [EntryName] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null) },
        TimeSpan.Zero);

    private volatile bool _started;

    public Task InvokeAsync(HttpContext context) => ProbeResponseWriter.RespondAsync(context, Evaluate());

    private HealthReport Evaluate()
    {
        if (_started)
        {
            return Started;
        }

        // Read before the entries: endpoints configured at startup are all registered before the scheduler starts.
        var running = statistics.IsRunning;
        var pending = new List<string>();
        foreach (var entry in store.Sorted())
        {
            if (entry.Spec.Critical && entry.GatesReadiness && !entry.IsRemoved && entry.ReadinessHealth == HealthState.Unknown)
            {
                pending.Add(entry.KeyText);
            }
        }

        if (running && pending.Count == 0)
        {
            _started = true;
            return Started;
        }

        var data = new Dictionary<string, object> { [ReadinessHealthCheck.PendingKey] = pending };
        var entryResult = new HealthReportEntry(HealthStatus.Unhealthy, "Critical dependencies have not been checked yet.", TimeSpan.Zero, null, data);
        return new HealthReport(new Dictionary<string, HealthReportEntry> { [EntryName] = entryResult }, TimeSpan.Zero);
    }
}
