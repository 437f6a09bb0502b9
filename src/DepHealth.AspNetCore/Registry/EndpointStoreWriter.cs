using DepHealth.AspNetCore.Telemetry;


namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Writes local changes of runtime endpoints to the registry store before they apply, and records the versions written
/// so that the feed's echo of them changes nothing. Configuration endpoints and changes from the store's own feed are
/// not written. A failed write is audited and thrown as <see cref="RegistryStoreUnavailableException"/> (or the
/// store's <see cref="EndpointConflictException"/>).
/// </summary>
internal sealed class EndpointStoreWriter(EndpointStoreHolder holder, StoreVersions versions, RegistryAudit audit)
{
    private readonly IEndpointStore? _store = holder.Store;

    public bool Persists(RegistryChange change) => _store is not null && change.Source == EndpointSource.Runtime && !change.FromStore;

    /// <summary>Refuses, audited, a spec the store cannot hold, before anything is created for it.</summary>
    /// <exception cref="EndpointValidationException">The spec cannot be stored.</exception>
    public void EnsureStorable(EndpointSpec spec, RegistryOperation operation)
    {
        try
        {
            _ = EndpointStoreCodec.Encode(spec);
        }
        catch (EndpointValidationException exception)
        {
            audit.Rejected(operation, RegistryChangeCounter.Invalid, string.Join("; ", exception.Errors));
            throw;
        }
    }

    public async Task AddAsync(EndpointSpec spec, RegistryOperation operation, CancellationToken cancellationToken)
    {
        var version = await WriteAsync(operation, store => store.AddAsync(spec, cancellationToken));
        versions.Record(spec.Key, version, deleted: false);
    }

    public async Task ReplaceAsync(EndpointKey oldKey, EndpointSpec spec, RegistryOperation operation, CancellationToken cancellationToken)
    {
        var expected = versions.Expected(oldKey);
        var version = await WriteAsync(operation, store => store.ReplaceAsync(oldKey, expected, spec, cancellationToken));
        if (spec.Key != oldKey)
        {
            versions.Record(oldKey, version, deleted: true);
        }

        versions.Record(spec.Key, version, deleted: false);
    }

    public async Task RemoveAsync(EndpointKey key, RegistryOperation operation, CancellationToken cancellationToken)
    {
        var version = await WriteAsync(operation, store => store.RemoveAsync(key, cancellationToken));
        versions.Record(key, version, deleted: true);
    }

    private async Task<long> WriteAsync(RegistryOperation operation, Func<IEndpointStore, Task<long>> write)
    {
        var store = _store ?? throw new InvalidOperationException("no registry store is configured");
        try
        {
            return await write(store);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var result = exception switch
            {
                RegistryStoreUnavailableException => RegistryChangeCounter.Unavailable,
                EndpointConflictException => RegistryChangeCounter.Conflict,
                _ => RegistryChangeCounter.Failed,
            };
            audit.Rejected(operation, result, exception.Message);
            if (exception is RegistryStoreUnavailableException or EndpointConflictException)
            {
                throw;
            }

            throw new RegistryStoreUnavailableException($"registry store unavailable: {store.Description}: {exception.Message}", exception);
        }
    }
}
