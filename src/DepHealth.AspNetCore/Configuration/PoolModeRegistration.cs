using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Registers a pool-mode dependency whose host and port are read from the application's client (a data source,
/// a connection) when the options are built, so the metric labels name what the client really talks to.
/// </summary>
internal static class PoolModeRegistration
{
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="locate">Reads host and port from the application's client.</param>
    /// <param name="checker">Creates the checker over the application's client.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder Add(
        IDependencyHealthBuilder builder,
        string name,
        string type,
        bool critical,
        Func<IServiceProvider, (string Host, int Port)> locate,
        Func<IServiceProvider, IDependencyChecker> checker,
        Action<DependencyOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(locate);
        ArgumentNullException.ThrowIfNull(checker);
        builder.Services.AddOptions<DependencyHealthOptions>().Configure<IServiceProvider>((options, services) =>
        {
            if (!options.Dependencies.TryGetValue(name, out var dependency))
            {
                dependency = new DependencyOptions();
                options.Dependencies[name] = dependency;
            }

            var (host, port) = locate(services);
            dependency.Type = type;
            dependency.Host = host;
            dependency.Port = port;
            dependency.Critical = critical;
            dependency.CheckerFactory = checker;
            configure?.Invoke(dependency);
        });
        return builder;
    }
}
