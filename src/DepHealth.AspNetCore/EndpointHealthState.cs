namespace DepHealth.AspNetCore;

/// <summary>An endpoint's health as its failure and success thresholds decide it.</summary>
public enum EndpointHealthState
{
    /// <summary>No check has completed yet.</summary>
    Unknown,

    /// <summary>Healthy: the first check succeeded, or the success threshold was reached.</summary>
    Healthy,

    /// <summary>Unhealthy: the first check failed, or the failure threshold was reached.</summary>
    Unhealthy,
}
