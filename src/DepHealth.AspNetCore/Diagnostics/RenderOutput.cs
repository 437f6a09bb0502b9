namespace DepHealth.AspNetCore.Diagnostics;

/// <summary>
/// The outputs that render every endpoint's state, each isolating one endpoint's failure from the others. The meter's
/// instruments are separate outputs, so that an instrument that fails does not end the failure episode of another.
/// </summary>
internal enum RenderOutput
{
    /// <summary>The Prometheus text exposition.</summary>
    Metrics,

    /// <summary>The details JSON.</summary>
    Details,

    /// <summary>The readiness health check.</summary>
    Readiness,

    /// <summary>The registry API's listing.</summary>
    Registry,

    /// <summary>The meter's <c>app_dependency_health</c> callback.</summary>
    MeterHealth,

    /// <summary>The meter's <c>app_dependency_status</c> callback.</summary>
    MeterStatus,

    /// <summary>The meter's <c>app_dependency_status_detail</c> callback.</summary>
    MeterDetail,

    /// <summary>The meter's <c>app_dependency_flaps</c> callback.</summary>
    MeterFlaps,
}
