using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Checks.MySql;
using DepHealth.AspNetCore.Checks.Sql;
using DepHealth.AspNetCore.Configuration;
using MySql.Data.MySqlClient;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// MySQL and MariaDB (type <c>mysql</c>) for DepHealth.AspNetCore, with MySql.Data: a check succeeds when
/// <c>SELECT 1</c> (or <see cref="DependencyOptions.Query"/>) runs. Details: <c>ok timeout connection_refused
/// dns_error auth_error tls_error error</c>.
/// </summary>
/// <remarks>
/// Server errors 1045, 1044 and 1698 (access denied) are <c>auth_error</c>; refused connections and DNS failures
/// are read from the socket error MySql.Data keeps inside "Unable to connect" (1042); other errors are <c>error</c>.
/// MySql.Data runs its async methods synchronously, so each check runs on the thread pool and is abandoned at the
/// check's timeout; the driver's connection and command timeouts are set to the check's so the abandoned call ends soon after.
/// </remarks>
public static class MySqlDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Registers the <c>mysql</c> checker so that configuration alone can monitor MySQL
    /// (<c>DependencyHealth:Dependencies:&lt;name&gt;:Url=mysql://user:pass@host:3306/db</c>, or <c>Type=mysql</c>
    /// with a <c>ConnectionString</c>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddMySqlChecks(this IDependencyHealthBuilder builder) =>
        builder.AddCheckerFactory<MySqlCheckerFactory>();

    /// <summary>
    /// Adds a standalone MySQL dependency from a URL, <c>mysql://user:password@host:3306/database</c> (several hosts
    /// give one endpoint each; <c>ssl-mode</c> is honoured). Every check opens its own connection, without pooling.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL; its credentials are used and never shown.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (query, thresholds, labels…).</param>
    public static IDependencyHealthBuilder AddMySql(
        this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddMySqlChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.MySql;
            d.Url = url;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>
    /// Adds a standalone MySQL dependency from a MySql.Data connection string (<c>Server=…;User ID=…;Password=…</c>).
    /// Every check opens its own connection, without pooling, to the endpoint's host and port.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="connectionString">The connection string; its credentials are used and never shown.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddMySqlConnectionString(
        this IDependencyHealthBuilder builder, string name, string connectionString, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddMySqlChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.MySql;
            d.ConnectionString = connectionString;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>
    /// Adds a MySQL dependency checked through the application's own connections (pool mode): each check takes a new
    /// connection from <paramref name="connectionFactory"/>, opens it (from the driver's pool for the application's
    /// connection string), runs the query and disposes it. Host and port are read from the connection string when the
    /// options are built (the first server of a list).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="connectionFactory">Returns a new, closed connection on every call, for example <c>sp =&gt; new MySqlConnection(appConnectionString)</c>.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddMySql(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, MySqlConnection> connectionFactory, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return PoolModeRegistration.Add(
            builder,
            name,
            DependencyTypes.MySql,
            critical,
            services => Locate(connectionFactory(services)),
            services => new DbConnectionChecker(() => connectionFactory(services), MySqlErrors.Classify),
            configure);
    }

    private static (string Host, int Port) Locate(MySqlConnection connection)
    {
        using (connection)
        {
            var settings = new MySqlConnectionStringBuilder(connection.ConnectionString);
            var host = settings.Server?.Split(',')[0].Trim() ?? string.Empty;
            return (host, (int)settings.Port);
        }
    }
}
