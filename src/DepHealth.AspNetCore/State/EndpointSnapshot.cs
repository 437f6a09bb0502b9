namespace DepHealth.AspNetCore.State;

/// <summary>A consistent copy of an endpoint's state, read under its lock.</summary>
internal readonly record struct EndpointSnapshot(
    HealthState Health,
    string Status,
    string Detail,
    double LatencySeconds,
    DateTimeOffset? LastCheckedAt,
    double LatencySum,
    long CheckCount)
{
    public bool HasResult => Health != HealthState.Unknown;
}
