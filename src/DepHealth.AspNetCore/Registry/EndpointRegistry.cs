using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// The registry: serializes every change (local, from the store's feed, from a configuration reload) and hands it to
/// the part that applies it; reads go straight to the state store.
/// </summary>
internal sealed class EndpointRegistry(
    HealthStateStore store,
    EndpointEntryFactory entries,
    EndpointChangeApplier changes,
    StoreReplication replication,
    ConfigurationReconciler configuration) : IEndpointRegistry, IDisposable
{
    private readonly SemaphoreSlim _mutation = new(1, 1);

    public Task<bool> AddAsync(EndpointSpec spec, CancellationToken cancellationToken = default) =>
        AddAsync(spec, new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public Task<bool> RemoveAsync(string dependency, string host, int port, CancellationToken cancellationToken = default) =>
        RemoveAsync(new EndpointKey(dependency, host, port), new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public Task UpdateAsync(string dependency, string oldHost, int oldPort, EndpointSpec spec, CancellationToken cancellationToken = default) =>
        UpdateAsync(new EndpointKey(dependency, oldHost, oldPort), spec, new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public IReadOnlyList<RegisteredEndpoint> GetAll()
    {
        var entries = store.Sorted();
        var result = new List<RegisteredEndpoint>(entries.Length);
        foreach (var entry in entries)
        {
            if (!entry.IsRemoved)
            {
                result.Add(ToRegistered(entry));
            }
        }

        return result;
    }

    public bool TryGet(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredEndpoint? endpoint)
    {
        if (store.TryGet(key, out var entry) && !entry.IsRemoved)
        {
            endpoint = ToRegistered(entry);
            return true;
        }

        endpoint = null;
        return false;
    }

    /// <summary>Adds an endpoint; <paramref name="change"/> says where it comes from and who asked.</summary>
    public async Task<bool> AddAsync(EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Detached();
        return await ExclusiveAsync(() => changes.AddAsync(spec, change, cancellationToken), cancellationToken);
    }

    public Task<bool> RemoveAsync(EndpointKey key, RegistryChange change, CancellationToken cancellationToken) =>
        ExclusiveAsync(() => changes.RemoveAsync(key, change, cancellationToken), cancellationToken);

    public async Task UpdateAsync(EndpointKey oldKey, EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Detached();
        await ExclusiveAsync(() => changes.UpdateAsync(oldKey, spec, change, cancellationToken), cancellationToken);
    }

    /// <summary>Applies every stored endpoint (a snapshot) or one change of the store's feed; see <see cref="StoreReplication"/>.</summary>
    public Task ApplyStoreChangeAsync(EndpointStoreChange change, CancellationToken cancellationToken) =>
        ExclusiveAsync(() => replication.ApplyAsync(change, cancellationToken), cancellationToken);

    /// <summary>Makes the configured endpoints exactly <paramref name="specs"/>, all or nothing; see <see cref="ConfigurationReconciler"/>.</summary>
    /// <exception cref="EndpointValidationException">Something is invalid; nothing changed. Fields are configuration keys.</exception>
    public Task<ConfigurationDiff> ApplyConfigurationAsync(IReadOnlyList<EndpointSpec> specs, RegistryChange change, CancellationToken cancellationToken) =>
        ExclusiveAsync(() => configuration.ApplyAsync(specs, change, cancellationToken), cancellationToken);

    /// <summary>The effective settings of a spec (nulls inherited from the global options).</summary>
    public CheckSettings Effective(EndpointSpec spec) => entries.Effective(spec);

    public void Dispose() => _mutation.Dispose();

    private static RegisteredEndpoint ToRegistered(EndpointEntry entry) => new(entry.Spec, entry.Settings, entry.Source);

    private async Task ExclusiveAsync(Func<Task> change, CancellationToken cancellationToken)
    {
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            await change();
        }
        finally
        {
            _mutation.Release();
        }
    }

    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            return await change();
        }
        finally
        {
            _mutation.Release();
        }
    }
}
