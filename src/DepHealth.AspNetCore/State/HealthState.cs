namespace DepHealth.AspNetCore.State;

/// <summary>The health of an endpoint as its thresholds decide it.</summary>
internal enum HealthState : byte
{
    Unknown,
    Healthy,
    Unhealthy,
}
