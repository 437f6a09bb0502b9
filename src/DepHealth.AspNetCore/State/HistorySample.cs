using System.Runtime.InteropServices;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// One check result in an endpoint's history, packed into 12 bytes because every endpoint keeps a ring of them: when
/// (Unix seconds and milliseconds), the latency, the detail as an index into <see cref="HistoryDetails"/> (the status
/// follows from it), the endpoint's health after it, and whether that health differs from the previous result's.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly struct HistorySample
{
    private const byte HealthyFlag = 1;
    private const byte ChangedFlag = 2;

    private readonly uint _seconds;
    private readonly ushort _milliseconds;
    private readonly float _latencySeconds;
    private readonly byte _detail;
    private readonly byte _flags;

    public HistorySample(long utcTicks, string detail, float latencySeconds, bool healthy, bool changed)
    {
        var unixMilliseconds = (utcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        _seconds = (uint)Math.Clamp(unixMilliseconds / 1000, 0, uint.MaxValue);
        _milliseconds = (ushort)(unixMilliseconds % 1000);
        _latencySeconds = latencySeconds;
        _detail = HistoryDetails.Code(detail);
        _flags = (byte)((healthy ? HealthyFlag : 0) | (changed ? ChangedFlag : 0));
    }

    /// <summary>When the check finished, to the millisecond.</summary>
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds((_seconds * 1000L) + _milliseconds);

    public string Detail => HistoryDetails.Name(_detail);

    public string Status => CheckDetails.StatusOf(Detail);

    public float LatencySeconds => _latencySeconds;

    public bool Healthy => (_flags & HealthyFlag) != 0;

    public bool Changed => (_flags & ChangedFlag) != 0;
}
