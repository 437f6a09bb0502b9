using System.Data.Common;
using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Checks.Sql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers SQL dependencies checked through the application's own ADO.NET objects (pool mode), for any driver:
/// each check opens a connection, runs <c>SELECT 1</c> (or <see cref="DependencyOptions.Query"/>) and disposes it.
/// </summary>
/// <remarks>
/// Driver errors are classified generically (timeouts, DNS, refused connections, TLS); the satellite packages
/// (for example <c>DepHealth.AspNetCore.Npgsql</c>) add each driver's authentication and pool errors.
/// A driver whose async methods block is run on the thread pool and abandoned at the check's timeout.
/// </remarks>
public static class SqlDependencyHealthBuilderExtensions
{
    /// <summary>Adds a SQL dependency checked through the application's <see cref="DbDataSource"/>, so pool exhaustion fails the check.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type, for example <c>postgres</c> or <c>mysql</c>.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="dataSource">Returns the application's data source (usually resolved from DI); it is not disposed by the check.</param>
    /// <param name="configure">Sets further options, for example <see cref="DependencyOptions.Query"/>.</param>
    public static IDependencyHealthBuilder AddDbDataSource(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical,
        Func<IServiceProvider, DbDataSource> dataSource, Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddChecker(name, type, host, port, critical, services => new DbDataSourceChecker(dataSource(services)), configure);
    }

    /// <summary>
    /// Adds a SQL dependency checked through connections from <paramref name="connectionFactory"/>: each check
    /// creates one, opens it, runs the query and disposes it. With the application's connection string the
    /// driver's pool serves the check, for drivers without a <see cref="DbDataSource"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type, for example <c>mysql</c>.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="connectionFactory">Returns a new, closed connection on every call; the check opens and disposes it.</param>
    /// <param name="configure">Sets further options, for example <see cref="DependencyOptions.Query"/>.</param>
    public static IDependencyHealthBuilder AddDbConnection(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical,
        Func<IServiceProvider, DbConnection> connectionFactory, Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return builder.AddChecker(
            name, type, host, port, critical, services => new DbConnectionChecker(() => connectionFactory(services)), configure);
    }
}
