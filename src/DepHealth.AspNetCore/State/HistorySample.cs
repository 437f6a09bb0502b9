namespace DepHealth.AspNetCore.State;

/// <summary>One kept check result as read out of an endpoint's history for a details query.</summary>
/// <param name="At">When the check finished, to the millisecond.</param>
/// <param name="Healthy">The endpoint's health after the result.</param>
/// <param name="Detail">The result's detail value.</param>
/// <param name="LatencySeconds">The check's latency (to the microsecond below about 2 s, to 32 µs above).</param>
internal readonly record struct HistorySample(DateTimeOffset At, bool Healthy, string Detail, double LatencySeconds)
{
    public string Status => CheckDetails.StatusOf(Detail);
}
