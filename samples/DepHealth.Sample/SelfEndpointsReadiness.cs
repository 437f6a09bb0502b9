using System.Diagnostics.Metrics;
using System.Globalization;
using DepHealth.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.Sample;

/// <summary>
/// A readiness check (tag <c>ready</c>) that fails until the sample's own endpoints have been checked once. The
/// package's readiness waits only for endpoints configured at startup; these are added after the server starts, so
/// without it the sample would report ready before they existed or before their first check. A finished check is seen
/// on the package's meter, where every check records its latency (<c>app_dependency_latency_seconds</c>).
/// </summary>
public sealed class SelfEndpointsReadiness : IHealthCheck, IDisposable
{
    private const string MeterName = "DepHealth.AspNetCore";
    private const string LatencyInstrument = "app_dependency_latency_seconds";
    private const string PendingKey = "pending";

    private static readonly Task<HealthCheckResult> Ready = Task.FromResult(HealthCheckResult.Healthy());

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private List<EndpointKey>? _pending;

    public SelfEndpointsReadiness(IMeterFactory meters)
    {
        // Only this application's meter: tests may run several applications in one process.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == MeterName && instrument.Name == LatencyInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnChecked);
        _listener.Start();
    }

    /// <summary>Waits for the first check of each endpoint; none: ready at once.</summary>
    public void WaitFor(IEnumerable<EndpointKey> endpoints)
    {
        lock (_gate)
        {
            _pending = [.. endpoints];
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_pending is null)
            {
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The server has not started yet."));
            }

            if (_pending.Count == 0)
            {
                return Ready;
            }

            // Listed like the package's own pending endpoints in the probe's body.
            var pending = _pending.Select(k => k.ToString()).ToList();
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus, "The sample's own endpoints have not been checked yet.",
                data: new Dictionary<string, object> { [PendingKey] = pending }));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnChecked(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? dependency = null;
        string? port = null;
        foreach (var (name, value) in tags)
        {
            if (name == "dependency")
            {
                dependency = value as string;
            }
            else if (name == "port")
            {
                port = value as string;
            }
        }

        // By dependency and port: the package may write the host differently (an IPv6 address, a name's case).
        lock (_gate)
        {
            _pending?.RemoveAll(k => k.Dependency == dependency && k.Port.ToString(CultureInfo.InvariantCulture) == port);
        }
    }
}
