namespace DepHealth.AspNetCore;

/// <summary>
/// Reads the health of the monitored endpoints in process, without parsing <c>/metrics</c>: the same state the probes,
/// metrics and details read. Registered by <c>AddDependencyHealth</c>; thread-safe.
/// </summary>
public interface IDependencyHealthMonitor
{
    /// <summary>Copies the state of every endpoint and the readiness verdict.</summary>
    DependencyHealthReport GetSnapshot();

    /// <summary>Copies the state of one endpoint, without copying the others.</summary>
    /// <param name="key">The endpoint key.</param>
    /// <param name="endpoint">Its state, when it is registered.</param>
    bool TryGetEndpoint(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EndpointHealth? endpoint);
}
