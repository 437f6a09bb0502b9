using DepHealth.AspNetCore;
using DepHealth.AspNetCore.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// A database checked through the application's Entity Framework Core context (pool mode): a check succeeds when the
/// context's connection opens and <c>SELECT 1</c> (or the <c>Query</c> option) runs. Details: <c>ok timeout
/// connection_refused dns_error auth_error tls_error pool_exhausted error</c>.
/// </summary>
public static class EntityFrameworkCoreDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Adds a database dependency checked through <typeparamref name="TContext"/> (pool mode): each check gets a context
    /// as the application does (from its <see cref="IDbContextFactory{TContext}"/> when one is registered, else from a
    /// new scope), opens its connection from the provider's pool, runs the query and closes it, so an exhausted pool
    /// fails the check. The type comes from the provider (Npgsql: <c>postgres</c>; Pomelo or MySQL: <c>mysql</c>), host
    /// and port from the context's connection string (its first host), read when the options are built. Other providers
    /// (SQLite, SQL Server...) have no contract type: set <see cref="DependencyOptions.Type"/>,
    /// <see cref="DependencyOptions.Host"/> and <see cref="DependencyOptions.Port"/> in <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="TContext">The application's context, registered with <c>AddDbContext</c>, <c>AddDbContextPool</c> or <c>AddDbContextFactory</c>.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (query, thresholds, labels…); values set here win over those read from the context.</param>
    public static IDependencyHealthBuilder AddEntityFrameworkCore<TContext>(
        this IDependencyHealthBuilder builder, string name, bool critical, Action<DependencyOptions>? configure = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        builder.Services.AddOptions<DependencyHealthOptions>().Configure<IServiceProvider>((options, services) =>
        {
            if (!options.Dependencies.TryGetValue(name, out var dependency))
            {
                dependency = new DependencyOptions();
                options.Dependencies[name] = dependency;
            }

            DbContextEndpoint endpoint;
            using (var lease = DbContextLease<TContext>.Create(services, name))
            {
                endpoint = DbContextEndpoint.Of(lease.Context, name);
            }

            dependency.Type = endpoint.Type;
            dependency.Host = endpoint.Host;
            dependency.Port = endpoint.Port;
            dependency.Critical = critical;
            dependency.CheckerFactory = services => new DbContextChecker<TContext>(
                services, services.GetRequiredService<IOptions<DependencyHealthOptions>>().Value.Timeout);
            configure?.Invoke(dependency);
            if (dependency.Type is null || (dependency.Host is null && dependency.Url is null && dependency.ConnectionString is null))
            {
                throw new InvalidOperationException(Unlabelled(name, typeof(TContext).Name, endpoint));
            }
        });
        return builder;
    }

    private static string Unlabelled(string dependency, string context, DbContextEndpoint endpoint) => endpoint.Type is null
        ? $"Dependency '{dependency}': {context} uses the provider {endpoint.Provider}, which has no dephealth type "
          + $"({string.Join(", ", DependencyTypes.All)}); set Type, Host and Port in the configure callback to label it."
        : $"Dependency '{dependency}': the connection string of {context} names no host (Host, Server, Data Source); "
          + "set Host and Port in the configure callback.";
}
