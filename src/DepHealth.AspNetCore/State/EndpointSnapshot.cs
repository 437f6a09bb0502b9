namespace DepHealth.AspNetCore.State;

/// <summary>A consistent copy of an endpoint's state, read under its lock.</summary>
internal readonly record struct EndpointSnapshot(
    HealthState Health,
    string Status,
    string Detail,
    double LatencySeconds,
    DateTimeOffset? LastCheckedAt,
    double LatencySum,
    long CheckCount,
    bool Flapping = false,
    long Flaps = 0)
{
    public bool HasResult => Health != HealthState.Unknown;
}
