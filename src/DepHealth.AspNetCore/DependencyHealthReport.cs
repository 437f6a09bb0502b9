namespace DepHealth.AspNetCore;

/// <summary>An immutable copy of every monitored endpoint's state, taken by <see cref="IDependencyHealthMonitor.GetSnapshot"/>.</summary>
public sealed class DependencyHealthReport
{
    /// <summary>Creates a report; the list is copied.</summary>
    /// <param name="endpoints">Every endpoint, ordered by dependency, host and port.</param>
    /// <param name="isReady">Whether the package's readiness check passes.</param>
    public DependencyHealthReport(IEnumerable<EndpointHealth> endpoints, bool isReady)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        Endpoints = endpoints.ToArray().AsReadOnly();
        IsReady = isReady;
    }

    /// <summary>Every registered endpoint, ordered by dependency, host and port, including ones not checked yet.</summary>
    public IReadOnlyList<EndpointHealth> Endpoints { get; }

    /// <summary>
    /// Whether the package's readiness check passes: no critical endpoint is unhealthy and, during startup, every
    /// critical endpoint has been checked. <c>/health/ready</c> answers 200 exactly then (unless the application adds
    /// checks of its own to the <c>ready</c> tag).
    /// </summary>
    public bool IsReady { get; }
}
