namespace DepHealth.AspNetCore.Registry;

/// <summary>What a store change does.</summary>
public enum EndpointStoreChangeKind
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
/// <param name="Kind">What the change does.</param>
/// <param name="Version">The store's version of the change.</param>
/// <param name="Key">The endpoint changed; default for a reset.</param>
/// <param name="Spec">The endpoint put, or null when it could not be read.</param>
/// <param name="Snapshot">The whole store, for a reset.</param>
/// <param name="Errors">Why a stored value could not be read, without its content.</param>
public sealed record EndpointStoreChange(
    EndpointStoreChangeKind Kind,
    long Version,
    EndpointKey Key,
    EndpointSpec? Spec = null,
    EndpointStoreSnapshot? Snapshot = null,
    string? Errors = null)
{
    /// <summary>An endpoint was added or replaced.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="version">The store's version of the write.</param>
    public static EndpointStoreChange Put(EndpointSpec spec, long version) => new(EndpointStoreChangeKind.Put, version, spec.Key, spec);

    /// <summary>An endpoint was deleted.</summary>
    /// <param name="key">The endpoint.</param>
    /// <param name="version">The store's version of the delete.</param>
    public static EndpointStoreChange Delete(EndpointKey key, long version) => new(EndpointStoreChangeKind.Delete, version, key);

    /// <summary>The whole store, when the changes since the last one cannot be read.</summary>
    /// <param name="snapshot">Every stored endpoint.</param>
    public static EndpointStoreChange Reset(EndpointStoreSnapshot snapshot) =>
        new(EndpointStoreChangeKind.Reset, snapshot.Version, default, Snapshot: snapshot);
}
