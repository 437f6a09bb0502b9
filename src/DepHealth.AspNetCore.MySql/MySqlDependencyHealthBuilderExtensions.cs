using DepHealth.AspNetCore.Checks.MySql;
using DepHealth.AspNetCore;
using MySqlConnector;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// MySQL and MariaDB (type <c>mysql</c>) for DepHealth.AspNetCore, with MySqlConnector: a check succeeds when
/// <c>SELECT 1</c> (or <see cref="DependencyOptions.Query"/>) runs. Details: <c>ok timeout connection_refused
/// dns_error auth_error tls_error error</c>, and <c>pool_exhausted</c> (status <c>error</c>) in pool mode.
/// </summary>
/// <remarks>
/// Server errors 1045, 1044 and 1698 (access denied) are <c>auth_error</c>; a server without TLS under an
/// <c>SslMode</c> of Required or stricter, or a failed TLS handshake, is <c>tls_error</c>. MySqlConnector hides the
/// socket error of a connection it could not make, so the check then tries one plain TCP connection to the endpoint to
/// tell <c>connection_refused</c> from <c>dns_error</c>. A data source whose <c>Connection Timeout</c> ends while all
/// its pooled connections are in use is <c>pool_exhausted</c>; when the check's timeout ends first it is a
/// <c>timeout</c>. Other errors (a failing query, an unknown database the user may see) are <c>error</c>. Checks are
/// fully asynchronous and end at the check's timeout; an abandoned query ends by its command timeout, set to the check's.
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
    /// Adds a standalone MySQL dependency from a MySqlConnector connection string (<c>Server=…;User ID=…;Password=…</c>).
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
    /// Adds a MySQL dependency checked through the application's <see cref="MySqlDataSource"/> (pool mode): each check
    /// borrows a pooled connection, so an exhausted pool fails it. Host and port are read from the data source's
    /// connection string when the options are built (the first server of a list).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="dataSource">Returns the application's data source, for example <c>sp =&gt; sp.GetRequiredService&lt;MySqlDataSource&gt;()</c>; it is not disposed by the check.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddMySql(
        this IDependencyHealthBuilder builder, string name, Func<IServiceProvider, MySqlDataSource> dataSource, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddPooledChecker(
            name,
            DependencyTypes.MySql,
            critical,
            services => Locate(dataSource(services).ConnectionString),
            services => MySqlChecker.ForDataSource(dataSource(services), CheckTimeouts.Global(services)),
            configure);
    }

    /// <summary>
    /// Adds a MySQL dependency checked through the application's own connections (pool mode): each check takes a new
    /// connection from <paramref name="connectionFactory"/>, opens it (from the driver's pool for the application's
    /// connection string), runs the query and disposes it. Host and port are read from the connection string when the
    /// options are built (the first server of a list). Prefer the <see cref="MySqlDataSource"/> overload where the
    /// application has one.
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
        return builder.AddPooledChecker(
            name,
            DependencyTypes.MySql,
            critical,
            services =>
            {
                using var connection = connectionFactory(services);
                return Locate(connection.ConnectionString);
            },
            services => MySqlChecker.ForConnections(() => connectionFactory(services), CheckTimeouts.Global(services)),
            configure);
    }

    private static (string Host, int Port) Locate(string connectionString)
    {
        var settings = new MySqlConnectionStringBuilder(connectionString);
        var host = settings.Server?.Split(',')[0].Trim() ?? string.Empty;
        return (host, (int)settings.Port);
    }
}
