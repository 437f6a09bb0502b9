namespace DepHealth.AspNetCore.Registry;

/// <summary>What a store change does.</summary>
internal enum EndpointStoreChangeKind
{
    /// <summary>An endpoint was added or replaced under <see cref="EndpointStoreChange.Key"/>.</summary>
    Put,

    /// <summary>The endpoint under <see cref="EndpointStoreChange.Key"/> was deleted.</summary>
    Delete,

    /// <summary>The changes since the last one could not be read: <see cref="EndpointStoreChange.Snapshot"/> is the whole store.</summary>
    Reset,
}

/// <summary>
/// One change from the store's feed. A stored value this replica cannot read arrives as a put with a null spec and
/// <see cref="Errors"/>: the registry reports it and leaves that key as it is.
/// </summary>
internal sealed record EndpointStoreChange(
    EndpointStoreChangeKind Kind,
    long Version,
    EndpointKey Key,
    EndpointSpec? Spec = null,
    EndpointStoreSnapshot? Snapshot = null,
    string? Errors = null)
{
    public static EndpointStoreChange Put(EndpointSpec spec, long version) => new(EndpointStoreChangeKind.Put, version, spec.Key, spec);

    public static EndpointStoreChange Delete(EndpointKey key, long version) => new(EndpointStoreChangeKind.Delete, version, key);

    public static EndpointStoreChange Reset(EndpointStoreSnapshot snapshot) =>
        new(EndpointStoreChangeKind.Reset, snapshot.Version, default, Snapshot: snapshot);
}
