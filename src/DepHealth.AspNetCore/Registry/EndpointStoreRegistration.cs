using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// A registry store a package offers under a name (<c>sqlite</c>, <c>etcd</c>); <c>DependencyHealth:Registry:Store</c>
/// selects one. Only the selected store is created.
/// </summary>
internal sealed record EndpointStoreRegistration(string Name, Func<IServiceProvider, IEndpointStore> Factory)
{
    /// <summary>Offers a store; registering the same name again replaces it.</summary>
    public static void Add(IServiceCollection services, string name, Func<IServiceProvider, IEndpointStore> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.Where(d => d.ServiceType == typeof(EndpointStoreRegistration)
            && d.ImplementationInstance is EndpointStoreRegistration r && r.Name == name).ToList();
        foreach (var descriptor in existing)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton(new EndpointStoreRegistration(name, factory));
    }
}
