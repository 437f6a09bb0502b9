namespace DepHealth.AspNetCore;

/// <summary>An immutable copy of one endpoint's state, as <c>/health/details</c> shows it.</summary>
public sealed record EndpointHealth
{
    /// <summary>The endpoint as it was registered.</summary>
    public required EndpointSpec Spec { get; init; }

    /// <summary>The health the thresholds decided; <see cref="EndpointHealthState.Unknown"/> before the first check.</summary>
    public required EndpointHealthState State { get; init; }

    /// <summary>The status category of the last check (<c>ok</c>, <c>timeout</c>, ...); <c>unknown</c> before the first check.</summary>
    public required string Status { get; init; }

    /// <summary>The detail of the last check (<c>ok</c>, <c>connection_refused</c>, <c>http_503</c>, ...); <c>unknown</c> before the first check.</summary>
    public required string Detail { get; init; }

    /// <summary>How long the last check took; zero before the first check.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>When the last check finished; null before the first check.</summary>
    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Whether the endpoint is flapping (see <see cref="DependencyHistoryOptions.FlapThreshold"/>).</summary>
    public bool IsFlapping { get; init; }

    /// <summary>The endpoint's key, <c>dependency:host:port</c>.</summary>
    public EndpointKey Key => Spec.Key;

    /// <summary>Whether the endpoint is critical: while it is unhealthy the application is not ready.</summary>
    public bool IsCritical => Spec.Critical;
}
