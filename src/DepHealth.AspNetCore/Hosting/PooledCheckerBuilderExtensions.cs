using DepHealth.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Pool mode for any client: a dependency checked through the application's own client from its services.</summary>
public static class PooledCheckerBuilderExtensions
{
    /// <summary>
    /// Adds a dependency checked through a client of the application (pool mode), as the satellites' <c>AddNpgsql</c> or
    /// <c>AddRabbitMQ</c> do: the endpoint's host and port are read from the client when the options are built, and the
    /// checker uses the client, so a client that lost its connection or has no free one fails the check.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type reported in the <c>type</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="locate">Returns the host and port the client connects to, for the labels.</param>
    /// <param name="checker">Creates the checker over the application's client; the client is not disposed by it.</param>
    /// <param name="configure">Sets further options; host and port set here win over <paramref name="locate"/>'s.</param>
    public static IDependencyHealthBuilder AddPooledChecker(
        this IDependencyHealthBuilder builder,
        string name,
        string type,
        bool critical,
        Func<IServiceProvider, (string Host, int Port)> locate,
        Func<IServiceProvider, IDependencyChecker> checker,
        Action<DependencyOptions>? configure = null)
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
