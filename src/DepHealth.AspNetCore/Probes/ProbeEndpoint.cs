using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Serves <c>/health/live</c> or <c>/health/ready</c>: the health checks tagged <paramref name="tag"/>, answered like
/// <c>MapHealthChecks</c> (same status codes, headers and bodies). The package's own checks are evaluated directly rather
/// than through <see cref="HealthCheckService"/>, which logs every run (an Error per unhealthy probe): a probe logs
/// nothing, as the package already logs every transition. The application's own checks with the tag still run through
/// <see cref="HealthCheckService"/>, and log as the application expects.
/// </summary>
internal sealed class ProbeEndpoint(string tag)
{
    private static readonly TimeSpan NotMeasured = TimeSpan.Zero;

    private Registrations? _registrations;

    public async Task InvokeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var registrations = _registrations ??= Registrations.Of(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value, tag);
        var cancellationToken = context.RequestAborted;
        IReadOnlyDictionary<string, HealthReportEntry> others = registrations.Others.Count == 0
            ? new Dictionary<string, HealthReportEntry>()
            : (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(registrations.Others.Contains, cancellationToken)).Entries;

        // In registration order, as HealthCheckService reports them: the probe body lists entries in that order.
        var entries = new Dictionary<string, HealthReportEntry>(registrations.All.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var registration in registrations.All)
        {
            if (registrations.Others.Contains(registration))
            {
                if (others.TryGetValue(registration.Name, out var entry))
                {
                    entries[registration.Name] = entry;
                }
            }
            else
            {
                entries[registration.Name] = await RunAsync(registration, services, cancellationToken);
            }
        }

        await ProbeResponseWriter.RespondAsync(context, new HealthReport(entries, NotMeasured));
    }

    /// <summary>One of the package's checks, as <see cref="HealthCheckService"/> would run it but without its logging.</summary>
    private static async Task<HealthReportEntry> RunAsync(HealthCheckRegistration registration, IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            var result = await registration.Factory(services).CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken);
            return new HealthReportEntry(result.Status, result.Description, NotMeasured, result.Exception, result.Data, registration.Tags);
        }
#pragma warning disable CA1031 // As HealthCheckService does: a check that throws is a failed check, never a 500.
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new HealthReportEntry(registration.FailureStatus, exception.Message, NotMeasured, exception, null, registration.Tags);
        }
    }

    /// <summary>The registrations with the tag, in order, and those of them that are not the package's.</summary>
    private sealed record Registrations(IReadOnlyList<HealthCheckRegistration> All, HashSet<HealthCheckRegistration> Others)
    {
        public static Registrations Of(HealthCheckServiceOptions options, string tag)
        {
            var all = options.Registrations.Where(r => r.Tags.Contains(tag)).ToList();
            var others = all.Where(r => r.Name is not (DependencyHealthServiceCollectionExtensions.LivenessCheckName
                or DependencyHealthServiceCollectionExtensions.ReadinessCheckName)).ToHashSet();
            return new Registrations(all, others);
        }
    }
}
