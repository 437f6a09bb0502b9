namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Where the registry keeps endpoints added at runtime, so that they survive restarts (sqlite) or reach every replica
/// (etcd). Only runtime endpoints are stored; configuration endpoints come from configuration on every replica.
/// Versions are the store's own increasing numbers (etcd: the revision), used to apply each change once and in order.
/// Every member throws <see cref="RegistryStoreUnavailableException"/> when the store cannot be reached.
/// </summary>
public interface IEndpointStore : IAsyncDisposable
{
    /// <summary>The kind of store and where it is, for messages; never credentials.</summary>
    string Description { get; }

    /// <summary>Reads every stored endpoint. A store that cannot be read (a corrupt file) throws another exception.</summary>
    Task<EndpointStoreSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new endpoint durably and returns its version; when its key holds the same spec already, returns that version.</summary>
    /// <exception cref="EndpointConflictException">The key holds another spec.</exception>
    Task<long> AddAsync(EndpointSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the endpoint at <paramref name="oldKey"/> with <paramref name="spec"/> (whose key may differ) in one
    /// atomic write, provided the old key is still at <paramref name="expectedVersion"/>; returns the new version.
    /// </summary>
    /// <exception cref="EndpointConflictException">The old key changed since, or the new key belongs to another endpoint.</exception>
    Task<long> ReplaceAsync(EndpointKey oldKey, long expectedVersion, EndpointSpec spec, CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint (nothing when missing) and returns the store's version after it.</summary>
    Task<long> RemoveAsync(EndpointKey key, CancellationToken cancellationToken);

    /// <summary>
    /// The changes after <paramref name="afterVersion"/>, in version order, until canceled. Reconnects by itself and
    /// resumes where it stopped; when it cannot (history compacted, or <paramref name="afterVersion"/> is 0) it yields
    /// a <see cref="EndpointStoreChangeKind.Reset"/> with every endpoint. A store no other process writes yields nothing.
    /// </summary>
    IAsyncEnumerable<EndpointStoreChange> WatchAsync(long afterVersion, CancellationToken cancellationToken);
}
