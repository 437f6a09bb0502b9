namespace DepHealth.AspNetCore.State;

/// <summary>What one endpoint does to readiness; the readiness probe and the monitor's snapshot both read it.</summary>
internal enum ReadinessEffect : byte
{
    /// <summary>Healthy, removed, or a non-critical or runtime endpoint not checked yet.</summary>
    None,

    /// <summary>A critical endpoint is unhealthy: not ready.</summary>
    Failing,

    /// <summary>A critical endpoint configured at startup has no result yet: not ready.</summary>
    Pending,

    /// <summary>A non-critical endpoint is unhealthy: ready, degraded.</summary>
    Degraded,
}
