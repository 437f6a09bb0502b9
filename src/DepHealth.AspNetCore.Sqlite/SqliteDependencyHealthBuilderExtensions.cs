using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Sqlite;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <c>sqlite</c> registry store: endpoints added at runtime survive restarts.</summary>
public static class SqliteDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Offers the <c>sqlite</c> registry store, selected by <c>DependencyHealth:Registry:Store=sqlite</c> with the file in
    /// <c>DependencyHealth:Registry:SqlitePath</c>; with <paramref name="path"/> it is selected here, in code, and that
    /// file is used. Every change of a runtime endpoint is committed to the file (WAL, synchronous FULL, one transaction
    /// per change) before the registry answers; at startup the stored endpoints are monitored again. Every endpoint's kept
    /// results are saved there too, every <c>DependencyHealth:History:SaveInterval</c> and at shutdown, and shown again in
    /// details after a restart. The file holds endpoint options as given, credentials included: it is created readable by
    /// its owner only.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="path">The SQLite file; null to leave the choice to configuration.</param>
    public static IDependencyHealthBuilder AddSqliteRegistryStore(this IDependencyHealthBuilder builder, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EndpointStoreRegistration.Add(builder.Services, EndpointStoreHolder.Sqlite, static services =>
            new SqliteEndpointStore(services.GetRequiredService<IOptions<DependencyHealthOptions>>().Value.Registry.SqlitePath!));
        if (path is not null)
        {
            builder.Services.Configure<DependencyHealthOptions>(o =>
            {
                o.Registry.Store = EndpointStoreHolder.Sqlite;
                o.Registry.SqlitePath = path;
            });
        }

        return builder;
    }
}
