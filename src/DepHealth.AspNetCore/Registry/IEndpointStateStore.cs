namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// A registry store that also keeps each endpoint's results across restarts (sqlite). The values are opaque bytes the
/// core encodes; the store only keeps them under the endpoint's key. Both members throw
/// <see cref="RegistryStoreUnavailableException"/> when the store cannot be reached.
/// </summary>
public interface IEndpointStateStore
{
    /// <summary>Every saved state, by endpoint key.</summary>
    /// <param name="cancellationToken">Cancelled at shutdown.</param>
    Task<IReadOnlyDictionary<EndpointKey, byte[]>> LoadStatesAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="saved"/> (replacing what those keys held) and deletes <paramref name="removed"/>, in one transaction.</summary>
    /// <param name="saved">The states to write, by endpoint key.</param>
    /// <param name="removed">The keys whose states to delete.</param>
    /// <param name="cancellationToken">Cancelled at shutdown.</param>
    Task SaveStatesAsync(IReadOnlyList<KeyValuePair<EndpointKey, byte[]>> saved, IReadOnlyList<EndpointKey> removed, CancellationToken cancellationToken);
}
