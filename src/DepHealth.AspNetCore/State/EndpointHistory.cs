namespace DepHealth.AspNetCore.State;

/// <summary>
/// The last results of one endpoint in a fixed-size ring (allocated once, never grown), and the number of health changes
/// among them, kept incrementally so that flap detection costs O(1) per check. Not thread-safe: the owning
/// <see cref="EndpointEntry"/> writes and reads it under its lock.
/// </summary>
/// <remarks>
/// Times are kept as milliseconds after a base time of the ring (<see cref="PackedHistorySample"/>), which moves when
/// a new result falls outside the roughly 49 days a sample can span: after that long, or when the clock jumps back.
/// Results that cannot be expressed from the new base (older than 49 days before the newest) are dropped then.
/// </remarks>
internal sealed class EndpointHistory
{
    private readonly PackedHistorySample[] _ring;
    private readonly int _flapThreshold;
    private long _baseUnixMilliseconds;
    private int _next;
    private int _count;
    private int _changes;
    private bool _flapping;

    public EndpointHistory(int size, int flapThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _ring = new PackedHistorySample[size];
        _flapThreshold = flapThreshold;
    }

    /// <summary>The ring's size: the most results ever kept.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Results kept now, at most <see cref="Capacity"/>.</summary>
    public int Count => _count;

    /// <summary>Health changes between consecutive results in the window.</summary>
    public int Changes => _changes;

    /// <summary>More than the flap threshold's health changes within the window.</summary>
    public bool IsFlapping => _flapping;

    /// <summary>Times the endpoint started flapping (false to true), for <c>app_dependency_flaps_total</c>.</summary>
    public long Flaps { get; private set; }

    /// <summary>Appends a result, dropping the oldest when full; true when this result made the endpoint start flapping.</summary>
    public bool Add(DateTimeOffset at, bool healthy, string detail, double latencySeconds)
    {
        var unixMilliseconds = at.ToUnixTimeMilliseconds();
        if (_count == 0)
        {
            _baseUnixMilliseconds = unixMilliseconds;
        }
        else if (unixMilliseconds < _baseUnixMilliseconds || unixMilliseconds - _baseUnixMilliseconds > PackedHistorySample.MaxOffsetMilliseconds)
        {
            Rebase(unixMilliseconds);
        }

        var changed = _count > 0 && _ring.Length > 1 && Newest.Healthy != healthy;
        if (_count == _ring.Length)
        {
            // The oldest result leaves the window, so the change from it to the next one does too.
            if (_ring[(_next + 1) % _ring.Length].Changed)
            {
                _changes--;
            }
        }
        else
        {
            _count++;
        }

        _ring[_next] = new PackedHistorySample(unixMilliseconds - _baseUnixMilliseconds, detail, latencySeconds, healthy, changed);
        _next = (_next + 1) % _ring.Length;
        if (changed)
        {
            _changes++;
        }

        var flapping = _changes > _flapThreshold;
        var started = flapping && !_flapping;
        _flapping = flapping;
        if (started)
        {
            Flaps++;
        }

        return started;
    }

    /// <summary>
    /// Refills an empty ring with results kept before a restart, oldest first (only the newest that fit are kept). Flap
    /// detection sees them, but they do not count as new flaps: <see cref="Flaps"/> counts this process's.
    /// </summary>
    public void Restore(IReadOnlyList<HistorySample> samples)
    {
        foreach (var sample in samples)
        {
            Add(sample.At, sample.Healthy, sample.Detail, sample.LatencySeconds);
        }

        Flaps = 0;
    }

    /// <summary>The newest result, if any.</summary>
    public bool TryGetNewest(out HistorySample newest)
    {
        newest = _count > 0 ? Newest.Unpack(_baseUnixMilliseconds) : default;
        return _count > 0;
    }

    /// <summary>Copies the results, oldest first, into <paramref name="destination"/> (cleared first).</summary>
    public void CopyTo(List<HistorySample> destination)
    {
        destination.Clear();
        var start = Oldest;
        for (var i = 0; i < _count; i++)
        {
            destination.Add(_ring[(start + i) % _ring.Length].Unpack(_baseUnixMilliseconds));
        }
    }

    private int Oldest => (_next + _ring.Length - _count) % _ring.Length;

    private PackedHistorySample Newest => _ring[(_next + _ring.Length - 1) % _ring.Length];

    /// <summary>
    /// Moves the base so that <paramref name="unixMilliseconds"/> can be kept, with as many kept results as fit; the rest
    /// are dropped and the changes recounted. Rare: once in about 49 days, or after the clock went back.
    /// </summary>
    private void Rebase(long unixMilliseconds)
    {
        var start = Oldest;
        var latest = unixMilliseconds;
        for (var i = 0; i < _count; i++)
        {
            latest = Math.Max(latest, _baseUnixMilliseconds + _ring[(start + i) % _ring.Length].OffsetMilliseconds);
        }

        var earliestKept = latest - PackedHistorySample.MaxOffsetMilliseconds;
        var newBase = unixMilliseconds;
        var kept = new List<PackedHistorySample>(_count);
        for (var i = 0; i < _count; i++)
        {
            var sample = _ring[(start + i) % _ring.Length];
            var time = _baseUnixMilliseconds + sample.OffsetMilliseconds;
            if (time >= earliestKept)
            {
                kept.Add(sample);
                newBase = Math.Min(newBase, time);
            }
        }

        Array.Clear(_ring);
        _changes = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var sample = kept[i].Rebased(newBase - _baseUnixMilliseconds);
            if (i == 0)
            {
                // What it changed from is gone.
                sample = sample.WithoutChange();
            }
            else if (sample.Changed)
            {
                _changes++;
            }

            _ring[i] = sample;
        }

        _count = kept.Count;
        _next = _count % _ring.Length;
        _baseUnixMilliseconds = newBase;
    }
}
