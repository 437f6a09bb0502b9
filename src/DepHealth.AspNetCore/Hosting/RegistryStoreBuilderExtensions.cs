using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Registry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Offers a registry store, where endpoints added at runtime are kept (<c>DependencyHealth:Registry:Store</c>).</summary>
public static class RegistryStoreBuilderExtensions
{
    /// <summary>
    /// Offers the store <paramref name="name"/>; <c>DependencyHealth:Registry:Store=</c><paramref name="name"/> selects it.
    /// The store is created once, when the registry starts, and disposed with the application's services. Registering
    /// the same name again replaces the earlier registration.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="name">The store's name, for example <c>sqlite</c>; not <c>memory</c>, which is the built-in default.</param>
    /// <param name="factory">Creates the store from the application's services.</param>
    public static IDependencyHealthBuilder AddRegistryStore(this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, IEndpointStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (string.Equals(name, EndpointStoreHolder.Memory, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("'memory' is the built-in store and cannot be replaced.", nameof(name));
        }

        EndpointStoreRegistration.Add(builder.Services, name, factory);
        return builder;
    }
}
