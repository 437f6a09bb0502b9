using DepHealth.AspNetCore.Checks.Postgres;
using DepHealth.AspNetCore;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// PostgreSQL (type <c>postgres</c>) for DepHealth.AspNetCore: a check succeeds when <c>SELECT 1</c> (or
/// <see cref="DependencyOptions.Query"/>) runs. Details: <c>ok timeout connection_refused dns_error auth_error
/// tls_error error</c>, and <c>pool_exhausted</c> (status <c>error</c>) in pool mode.
/// </summary>
/// <remarks>
/// SQLSTATE <c>28P01</c> and <c>28000</c> are <c>auth_error</c>; socket, DNS, TLS and timeout errors wrapped by
/// Npgsql are classified by the core; other server errors (a failing query, an unknown database) are <c>error</c>.
/// Npgsql reports a full pool only by its message ("The connection pool has been exhausted…"), which becomes
/// <c>pool_exhausted</c> when the data source's <c>Timeout</c> ends before the check's; when the check's timeout
/// ends first the wait for a pooled connection is a <c>timeout</c>.
/// </remarks>
public static class NpgsqlDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Registers the <c>postgres</c> checker so that configuration alone can monitor PostgreSQL
    /// (<c>DependencyHealth:Dependencies:&lt;name&gt;:Url=postgres://user:pass@host:5432/db</c>, or <c>Type=postgres</c>
    /// with a <c>ConnectionString</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddNpgsqlChecks(this IDependencyHealthBuilder builder) =>
        builder.AddCheckerFactory<PostgresCheckerFactory>();

    /// <summary>
    /// Adds a standalone PostgreSQL dependency from a URL, <c>postgres://user:password@host:5432/database</c>
    /// (<c>postgresql://</c> too; several hosts give one endpoint each; <c>sslmode</c> is honoured). Every check opens
    /// its own connection, without pooling, to the endpoint's host and port.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL; its credentials are used and never shown.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (query, thresholds, labels…).</param>
    public static IDependencyHealthBuilder AddPostgres(
        this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddNpgsqlChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Postgres;
            d.Url = url;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>
    /// Adds a standalone PostgreSQL dependency from an Npgsql connection string (<c>Host=…;Username=…;Password=…</c>).
    /// Every check opens its own connection, without pooling, to the endpoint's host and port.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="connectionString">The connection string; its credentials are used and never shown.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddPostgresConnectionString(
        this IDependencyHealthBuilder builder, string name, string connectionString, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddNpgsqlChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Postgres;
            d.ConnectionString = connectionString;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>
    /// Adds a PostgreSQL dependency checked through the application's <see cref="NpgsqlDataSource"/> (pool mode):
    /// each check borrows a pooled connection, so an exhausted pool fails it. Host and port are read from the data
    /// source's connection string when the options are built (the first host of a multi-host data source).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="dataSource">Returns the application's data source, for example <c>sp =&gt; sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>; it is not disposed by the check.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddNpgsql(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, NpgsqlDataSource> dataSource, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddPooledChecker(
            name,
            DependencyTypes.Postgres,
            critical,
            services => Locate(dataSource(services)),
            services => new DbDataSourceChecker(dataSource(services), PostgresErrors.Classify),
            configure);
    }

    private static (string Host, int Port) Locate(NpgsqlDataSource dataSource)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var host = settings.Host?.Split(',')[0].Trim() ?? string.Empty;
        var port = settings.Port;

        // Npgsql allows "host:port" in a host list.
        var colon = host.LastIndexOf(':');
        if (colon > 0 && host.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(host[(colon + 1)..], out var hostPort))
        {
            port = hostPort;
            host = host[..colon];
        }

        return (host, port);
    }
}
