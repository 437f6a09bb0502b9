namespace DepHealth.AspNetCore;

/// <summary>One health transition of one endpoint.</summary>
public sealed record EndpointHealthChange
{
    /// <summary>What happened.</summary>
    public required EndpointHealthTransition Transition { get; init; }

    /// <summary>The endpoint's state right after the transition (for <see cref="EndpointHealthTransition.Removed"/>, its last state).</summary>
    public required EndpointHealth Endpoint { get; init; }
}
