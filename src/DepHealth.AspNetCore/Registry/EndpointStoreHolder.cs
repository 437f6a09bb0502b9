using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Registry;

/// <summary>Creates the store <c>DependencyHealth:Registry:Store</c> selects (none for <c>memory</c>) once, and disposes it with the container.</summary>
internal sealed class EndpointStoreHolder : IAsyncDisposable
{
    public const string Memory = "memory";
    public const string Sqlite = "sqlite";
    public const string Etcd = "etcd";

    private readonly Lazy<IEndpointStore?> _store;

    public EndpointStoreHolder(IOptions<DependencyHealthOptions> options, IEnumerable<EndpointStoreRegistration> registrations, IServiceProvider services)
    {
        var name = options.Value.Registry.Store;
        _store = new Lazy<IEndpointStore?>(() =>
        {
            if (string.IsNullOrEmpty(name) || string.Equals(name, Memory, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var registration = registrations.LastOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(MissingPackage(name));
            return registration.Factory(services);
        });
    }

    public IEndpointStore? Store => _store.Value;

    /// <summary>The error for a store whose package is not referenced or not registered.</summary>
    public static string MissingPackage(string name) => name.ToLowerInvariant() switch
    {
        Sqlite => "store 'sqlite' needs the package DepHealth.AspNetCore.Sqlite: reference it and call AddSqliteRegistryStore() on AddDependencyHealth(...)",
        Etcd => "store 'etcd' needs the package DepHealth.AspNetCore.Etcd: reference it and call AddEtcdRegistryStore(...) on AddDependencyHealth(...)",
        _ => $"'{name}' is not a registry store: use memory, sqlite or etcd",
    };

    public async ValueTask DisposeAsync()
    {
        if (_store.IsValueCreated && _store.Value is { } store)
        {
            await store.DisposeAsync();
        }
    }
}
