namespace DepHealth.AspNetCore.State;

/// <summary>
/// One check result as kept in an endpoint's history ring, packed into 8 bytes because every endpoint keeps a ring of
/// them: the time as milliseconds after the ring's base time, then one word holding the latency, the detail as an index
/// into <see cref="HistoryDetails"/> (the status follows from it), the endpoint's health after it, and whether that
/// health differs from the previous result's.
/// </summary>
internal readonly struct PackedHistorySample
{
    /// <summary>The latest time a sample can hold, in milliseconds after its ring's base (about 49 days).</summary>
    public const long MaxOffsetMilliseconds = uint.MaxValue;

    private const uint HealthyFlag = 1u << 30;
    private const uint ChangedFlag = 1u << 31;
    private const int DetailShift = 22;
    private const uint LatencyMask = (1u << DetailShift) - 1;

    // The latency takes 22 bits: microseconds up to 2^21 - 1 µs (about 2.1 s), above that 32 µs steps flagged by the top
    // bit, which reach about 67 s (twice the longest timeout, the most a check can take).
    private const uint CoarseFlag = 1u << 21;
    private const int CoarseShift = 5;
    private const uint MaxFine = CoarseFlag - 1;

    private readonly uint _offset;
    private readonly uint _bits;

    public PackedHistorySample(long offsetMilliseconds, string detail, double latencySeconds, bool healthy, bool changed)
    {
        _offset = (uint)Math.Clamp(offsetMilliseconds, 0, MaxOffsetMilliseconds);
        _bits = PackLatency(latencySeconds)
            | ((uint)HistoryDetails.Code(detail) << DetailShift)
            | (healthy ? HealthyFlag : 0)
            | (changed ? ChangedFlag : 0);
    }

    private PackedHistorySample(uint offset, uint bits)
    {
        _offset = offset;
        _bits = bits;
    }

    /// <summary>Milliseconds after the ring's base time.</summary>
    public long OffsetMilliseconds => _offset;

    public bool Healthy => (_bits & HealthyFlag) != 0;

    public bool Changed => (_bits & ChangedFlag) != 0;

    public string Detail => HistoryDetails.Name((byte)(_bits >> DetailShift));

    public double LatencySeconds
    {
        get
        {
            var latency = _bits & LatencyMask;
            var microseconds = (latency & CoarseFlag) == 0 ? latency : (long)(latency & MaxFine) << CoarseShift;
            return microseconds / 1_000_000d;
        }
    }

    /// <summary>The same result, its time measured from a base <paramref name="shiftMilliseconds"/> later.</summary>
    public PackedHistorySample Rebased(long shiftMilliseconds) => new((uint)(_offset - shiftMilliseconds), _bits);

    /// <summary>The same result marked as not differing from the one before (which is no longer kept).</summary>
    public PackedHistorySample WithoutChange() => new(_offset, _bits & ~ChangedFlag);

    public HistorySample Unpack(long baseUnixMilliseconds) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(baseUnixMilliseconds + _offset), Healthy, Detail, LatencySeconds);

    private static uint PackLatency(double latencySeconds)
    {
        var microseconds = (long)Math.Round(Math.Max(latencySeconds, 0) * 1_000_000d);
        if (microseconds <= MaxFine)
        {
            return (uint)microseconds;
        }

        return CoarseFlag | (uint)Math.Min((microseconds + (1 << (CoarseShift - 1))) >> CoarseShift, MaxFine);
    }
}
