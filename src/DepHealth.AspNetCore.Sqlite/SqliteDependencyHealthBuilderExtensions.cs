using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The <c>sqlite</c> registry store: endpoints added at runtime survive restarts.</summary>
public static class SqliteDependencyHealthBuilderExtensions
{
    /// <summary>The store's name, for <c>DependencyHealth:Registry:Store</c>.</summary>
    public const string StoreName = "sqlite";

    private const string PathRequired = "SqliteRegistryStoreOptions.Path: is required when DependencyHealth:Registry:Store is sqlite: the SQLite file, for example /var/lib/app/registry.db";

    /// <summary>
    /// Offers the <c>sqlite</c> registry store and selects it, in code, with the file <paramref name="path"/>. Every change
    /// of a runtime endpoint is committed to the file (WAL, synchronous FULL, one transaction per change) before the
    /// registry answers; at startup the stored endpoints are monitored again. Every endpoint's kept results are saved
    /// there too, every <c>DependencyHealth:History:SaveInterval</c> and at shutdown, and shown again in details after a
    /// restart. The file holds endpoint options as given, credentials included: it is created readable by its owner only.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="path">The SQLite file.</param>
    public static IDependencyHealthBuilder AddSqliteRegistryStore(this IDependencyHealthBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.Configure<SqliteRegistryStoreOptions>(o => o.Path = path);
        builder.Services.Configure<DependencyHealthOptions>(o => o.Registry.Store = StoreName);
        return builder.AddSqliteRegistryStore();
    }

    /// <summary>
    /// Offers the <c>sqlite</c> registry store, selected by <c>DependencyHealth:Registry:Store=sqlite</c>, with its file
    /// set through <see cref="SqliteRegistryStoreOptions"/> (<c>services.Configure&lt;SqliteRegistryStoreOptions&gt;(…)</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddSqliteRegistryStore(this IDependencyHealthBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Checked with the core's options, so a missing file is a startup and reload error like any other.
        builder.Services.AddOptions<DependencyHealthOptions>().Validate<IOptions<SqliteRegistryStoreOptions>>(
            (options, sqlite) => !string.Equals(options.Registry.Store, StoreName, StringComparison.OrdinalIgnoreCase) || !string.IsNullOrWhiteSpace(sqlite.Value.Path),
            PathRequired);
        return builder.AddRegistryStore(StoreName, static services =>
        {
            var file = services.GetRequiredService<IOptions<SqliteRegistryStoreOptions>>().Value.Path;
            return string.IsNullOrWhiteSpace(file)
                ? throw new OptionsValidationException(nameof(SqliteRegistryStoreOptions), typeof(SqliteRegistryStoreOptions),
                    [PathRequired])
                : new SqliteEndpointStore(file);
        });
    }

    /// <summary>
    /// Offers the <c>sqlite</c> registry store with its file from <paramref name="configuration"/>'s <c>Path</c>, for
    /// example <c>AddSqliteRegistryStore(builder.Configuration.GetSection("Sqlite"))</c>; selected by
    /// <c>DependencyHealth:Registry:Store=sqlite</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    /// <param name="configuration">The section holding <c>Path</c>.</param>
    public static IDependencyHealthBuilder AddSqliteRegistryStore(this IDependencyHealthBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.Configure<SqliteRegistryStoreOptions>(configuration);
        return builder.AddSqliteRegistryStore();
    }
}
