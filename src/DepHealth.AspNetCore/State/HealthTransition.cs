namespace DepHealth.AspNetCore.State;

/// <summary>What a recorded check did to the endpoint's health.</summary>
internal enum HealthTransition : byte
{
    /// <summary>The health did not change (or the entry was removed and nothing was written).</summary>
    None,

    /// <summary>The first check succeeded.</summary>
    FirstHealthy,

    /// <summary>The first check failed, or the failure threshold was reached.</summary>
    BecameUnhealthy,

    /// <summary>The success threshold was reached after being unhealthy.</summary>
    Recovered,
}
