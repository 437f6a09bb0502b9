namespace DepHealth.AspNetCore.Registry;

/// <summary>What a configuration reload changes in the registry; each list in key order.</summary>
/// <param name="Added">Endpoints started.</param>
/// <param name="Removed">Endpoints stopped, their series removed.</param>
/// <param name="Updated">Endpoints replaced blue-green under the same key.</param>
internal sealed record ConfigurationDiff(IReadOnlyList<EndpointKey> Added, IReadOnlyList<EndpointKey> Removed, IReadOnlyList<EndpointKey> Updated)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Updated.Count == 0;

    /// <summary>What turns the configured endpoints <paramref name="running"/> into <paramref name="wanted"/>: an equal spec is left alone.</summary>
    public static ConfigurationDiff Between(IEnumerable<EndpointSpec> running, IReadOnlyDictionary<EndpointKey, EndpointSpec> wanted)
    {
        var current = running.ToDictionary(s => s.Key);
        var added = new List<EndpointKey>();
        var updated = new List<EndpointKey>();
        foreach (var (key, spec) in wanted.OrderBy(w => w.Key))
        {
            if (!current.TryGetValue(key, out var old))
            {
                added.Add(key);
            }
            else if (!old.Equals(spec))
            {
                updated.Add(key);
            }
        }

        var removed = current.Keys.Where(k => !wanted.ContainsKey(k)).Order().ToList();
        return new ConfigurationDiff(added, removed, updated);
    }
}
