namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// The last store version this replica wrote or applied per key: a change of the store's feed no newer than it (the
/// echo of a local write, or one already applied) is skipped. Deletes are kept until the feed has passed them, then
/// forgotten, so the map stays as small as the store. Used under the registry's lock.
/// </summary>
internal sealed class StoreVersions
{
    private readonly Dictionary<EndpointKey, Known> _known = [];
    private long _position;
    private int _deletes;

    /// <summary>Keys remembered, for tests.</summary>
    public int Count => _known.Count;

    /// <summary>Whether a change of <paramref name="key"/> at <paramref name="version"/> is already in effect here.</summary>
    public bool IsApplied(EndpointKey key, long version) => _known.TryGetValue(key, out var known) && version <= known.Version;

    /// <summary>Whether this replica wrote or applied <paramref name="key"/> after <paramref name="version"/>.</summary>
    public bool ChangedAfter(EndpointKey key, long version) => _known.TryGetValue(key, out var known) && known.Version > version;

    /// <summary>The version a replace of <paramref name="key"/> expects the store to hold; 0 when unknown or deleted.</summary>
    public long Expected(EndpointKey key) => _known.TryGetValue(key, out var known) && !known.Deleted ? known.Version : 0;

    public void Record(EndpointKey key, long version, bool deleted)
    {
        Forget(key);
        _known[key] = new Known(version, deleted);
        _deletes += deleted ? 1 : 0;
    }

    /// <summary>The feed delivered <paramref name="version"/>: deletes up to it can no longer be followed by an older change.</summary>
    public void FeedPassed(long version)
    {
        _position = Math.Max(_position, version);
        if (_deletes == 0)
        {
            return;
        }

        foreach (var (key, known) in _known)
        {
            if (known.Deleted && known.Version <= _position)
            {
                Forget(key);
            }
        }
    }

    /// <summary>A snapshot at <paramref name="version"/> was applied: keys it lacks are forgotten unless changed here since.</summary>
    public void SnapshotApplied(long version, Func<EndpointKey, bool> stored)
    {
        foreach (var key in _known.Keys.Where(k => !stored(k) && !ChangedAfter(k, version)).ToList())
        {
            Forget(key);
        }

        _position = Math.Max(_position, version);
    }

    private void Forget(EndpointKey key)
    {
        if (_known.Remove(key, out var old) && old.Deleted)
        {
            _deletes--;
        }
    }

    private readonly record struct Known(long Version, bool Deleted);
}
