using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Etcd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <c>etcd</c> registry store: endpoints added at runtime on any replica are monitored by every replica.</summary>
public static class EtcdRegistryStoreExtensions
{
    /// <summary>The store's name, for <c>DependencyHealth:Registry:Store</c>.</summary>
    public const string StoreName = "etcd";

    /// <summary>
    /// Offers the <c>etcd</c> registry store, selected by <c>DependencyHealth:Registry:Store=etcd</c>, connected as
    /// <paramref name="section"/> says (for example the <c>Etcd</c> section that also configures <c>AddEtcd</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="section">The section with <c>Endpoints</c>, <c>Prefix</c> and optionally credentials, TLS files and timeouts.</param>
    public static IDependencyHealthBuilder AddEtcdRegistryStore(this IDependencyHealthBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<EtcdRegistryStoreOptions>().Bind(section);
        return Register(builder);
    }

    /// <summary>
    /// Offers the <c>etcd</c> registry store, selected by <c>DependencyHealth:Registry:Store=etcd</c>. Each replica keeps
    /// every runtime endpoint as a JSON value under <c>&lt;Prefix&gt;/registry/&lt;dependency&gt;/&lt;host&gt;/&lt;port&gt;</c>
    /// and watches the prefix, so a change made through any replica is monitored by all of them within moments. While
    /// etcd cannot be reached, every replica keeps monitoring what it has and registry changes fail (HTTP 503); the watch
    /// resumes from the last revision it saw. Values hold endpoint options as given, credentials included: grant access
    /// to the prefix accordingly.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="configure">Sets the connection.</param>
    public static IDependencyHealthBuilder AddEtcdRegistryStore(this IDependencyHealthBuilder builder, Action<EtcdRegistryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return Register(builder);
    }

    private static IDependencyHealthBuilder Register(IDependencyHealthBuilder builder)
    {
        return builder.AddRegistryStore(StoreName, static services => new EtcdEndpointStore(
            services.GetRequiredService<IOptions<EtcdRegistryStoreOptions>>().Value,
            services.GetService<ILoggerFactory>()?.CreateLogger<EtcdEndpointStore>() ?? NullLogger<EtcdEndpointStore>.Instance));
    }
}
