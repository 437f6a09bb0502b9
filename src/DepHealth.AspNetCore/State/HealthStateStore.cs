using System.Collections.Concurrent;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// The single source of truth: every registered endpoint and its last results. Probes, metrics, details and the
/// registry listing read it; only the scheduler writes check results and only the registry adds or removes entries.
/// </summary>
internal sealed class HealthStateStore
{
    private readonly ConcurrentDictionary<EndpointKey, EndpointEntry> _entries = new();
    private readonly Lock _sortGate = new();
    private int _version;
    private int _readinessVersion;
    private SortedView _sorted = new(0, []);

    public int Count => _entries.Count;

    /// <summary>
    /// Changes after anything readiness reads has changed: an entry added, replaced or removed, a health transition, an
    /// inherited verdict. Read before the entries, so that a readiness result computed from them and tagged with it is
    /// never newer than its tag.
    /// </summary>
    public int ReadinessVersion => Volatile.Read(ref _readinessVersion);

    /// <summary>Called by entries of this store after a change readiness reads.</summary>
    public void ReadinessChanged() => Interlocked.Increment(ref _readinessVersion);

    public bool TryGet(EndpointKey key, out EndpointEntry entry) => _entries.TryGetValue(key, out entry!);

    /// <summary>Adds or replaces the entry for its key.</summary>
    public void Set(EndpointEntry entry)
    {
        entry.AttachTo(this);
        _entries[entry.Key] = entry;
        Interlocked.Increment(ref _version);
        ReadinessChanged();
    }

    /// <summary>Removes <paramref name="entry"/> if it is still the one registered under its key.</summary>
    public bool Remove(EndpointEntry entry)
    {
        entry.MarkRemoved();
        var removed = _entries.TryRemove(new KeyValuePair<EndpointKey, EndpointEntry>(entry.Key, entry));
        Interlocked.Increment(ref _version);
        ReadinessChanged();

        // Drop the cached order now rather than at the next read: it would keep the removed entry (its checker,
        // labels and state) alive for as long as nobody scrapes.
        Volatile.Write(ref _sorted, SortedView.Stale);
        return removed;
    }

    /// <summary>
    /// Every entry ordered by key. Rebuilt only after a change, so scrapes and probes between changes share one array.
    /// A scrape that starts after a removal returned never sees the removed entry.
    /// </summary>
    public EndpointEntry[] Sorted()
    {
        var version = Volatile.Read(ref _version);
        var view = Volatile.Read(ref _sorted);
        if (view.Version == version)
        {
            return view.Entries;
        }

        lock (_sortGate)
        {
            version = Volatile.Read(ref _version);
            view = _sorted;
            if (view.Version == version)
            {
                return view.Entries;
            }

            var entries = _entries.Values.ToArray();
            Array.Sort(entries, static (a, b) => a.Key.CompareTo(b.Key));
            Volatile.Write(ref _sorted, new SortedView(version, entries));
            return entries;
        }
    }

    private sealed record SortedView(int Version, EndpointEntry[] Entries)
    {
        /// <summary>Matches no version, so the next read rebuilds.</summary>
        public static readonly SortedView Stale = new(-1, []);
    }
}
