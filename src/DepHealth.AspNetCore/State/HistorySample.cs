namespace DepHealth.AspNetCore.State;

/// <summary>
/// One check result in an endpoint's history, 24 bytes: when (UTC ticks), the detail (the status follows from it),
/// the latency, the endpoint's health after it, and whether that health differs from the previous result's.
/// </summary>
internal readonly record struct HistorySample(long UtcTicks, string Detail, float LatencySeconds, bool Healthy, bool Changed)
{
    public DateTimeOffset At => new(UtcTicks, TimeSpan.Zero);

    public string Status => CheckDetails.StatusOf(Detail);
}
