using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Registry;

/// <summary>Creates the store <c>DependencyHealth:Registry:Store</c> selects (none for <c>memory</c>) once, and disposes it with the container.</summary>
internal sealed class EndpointStoreHolder : IAsyncDisposable
{
    public const string Memory = "memory";

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
                ?? throw new InvalidOperationException($"'{name}' is not a registered registry store");
            return registration.Factory(services);
        });
    }

    public IEndpointStore? Store => _store.Value;

    /// <summary>The error for a store whose package is not referenced or not registered.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_store.IsValueCreated && _store.Value is { } store)
        {
            await store.DisposeAsync();
        }
    }
}
