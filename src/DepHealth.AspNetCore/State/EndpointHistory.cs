namespace DepHealth.AspNetCore.State;

/// <summary>
/// The last results of one endpoint in a fixed-size ring (allocated once, never grown), and the number of health changes
/// among them, kept incrementally so that flap detection costs O(1) per check. Not thread-safe: the owning
/// <see cref="EndpointEntry"/> writes and reads it under its lock.
/// </summary>
internal sealed class EndpointHistory
{
    private readonly HistorySample[] _ring;
    private readonly int _flapThreshold;
    private int _next;
    private int _count;
    private int _changes;
    private bool _flapping;

    public EndpointHistory(int size, int flapThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _ring = new HistorySample[size];
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
        var changed = _count > 0 && _ring.Length > 1 && _ring[(_next + _ring.Length - 1) % _ring.Length].Healthy != healthy;
        if (_count == _ring.Length)
        {
            // The oldest result leaves the window, so the change from it to the next one does too.
            var nextOldest = _ring[(_next + 1) % _ring.Length];
            if (nextOldest.Changed)
            {
                _changes--;
            }
        }
        else
        {
            _count++;
        }

        _ring[_next] = new HistorySample(at.UtcTicks, detail, (float)latencySeconds, healthy, changed);
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

    /// <summary>Copies the results, oldest first, into <paramref name="destination"/> (cleared first).</summary>
    public void CopyTo(List<HistorySample> destination)
    {
        destination.Clear();
        var start = (_next + _ring.Length - _count) % _ring.Length;
        for (var i = 0; i < _count; i++)
        {
            destination.Add(_ring[(start + i) % _ring.Length]);
        }
    }
}
