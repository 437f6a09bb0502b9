namespace DepHealth.AspNetCore;

/// <summary>What changed an endpoint's health, as told to an <see cref="IDependencyHealthObserver"/>.</summary>
public enum EndpointHealthTransition
{
    /// <summary>The first check of a new endpoint succeeded.</summary>
    FirstHealthy,

    /// <summary>The first check failed, or the failure threshold was reached while healthy.</summary>
    BecameUnhealthy,

    /// <summary>The success threshold was reached while unhealthy.</summary>
    Recovered,

    /// <summary>The endpoint was removed from the registry (or moved to another key); it is no longer checked.</summary>
    Removed,
}
