using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Checks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers dependencies in code. Each call adds a dependency under <c>DependencyHealth:Dependencies</c>.</summary>
public static class DependencyHealthBuilderExtensions
{
    /// <summary>Adds a dependency described by <see cref="DependencyOptions"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="configure">Fills the dependency's options.</param>
    public static IDependencyHealthBuilder AddDependency(this IDependencyHealthBuilder builder, string name, Action<DependencyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<DependencyHealthOptions>(options =>
        {
            if (!options.Dependencies.TryGetValue(name, out var dependency))
            {
                dependency = new DependencyOptions();
                options.Dependencies[name] = dependency;
            }

            configure(dependency);
        });
        return builder;
    }

    /// <summary>Adds an HTTP dependency: a 2xx from <paramref name="url"/> (path <c>/health</c> when the URL has none).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL, <c>http://</c> or <c>https://</c>; several hosts allowed.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (headers, auth, thresholds…).</param>
    public static IDependencyHealthBuilder AddHttp(this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddUrl(name, DependencyTypes.Http, url, critical, configure);

    /// <summary>
    /// Adds an HTTP dependency in pool mode: a 2xx from <paramref name="url"/>, sent through the application's named client
    /// <c>IHttpClientFactory.CreateClient(httpClientName)</c>, so its handlers (authentication, certificates, proxy,
    /// resilience) apply and its pooled connections are reused. The same as setting <see cref="DependencyOptions.HttpClientName"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL, <c>http://</c> or <c>https://</c>; several hosts allowed. The client's BaseAddress is not used.</param>
    /// <param name="httpClientName">The name the client was registered under with <c>AddHttpClient(name, …)</c>.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (path, headers, thresholds…).</param>
    public static IDependencyHealthBuilder AddHttp(this IDependencyHealthBuilder builder, string name, string url, string httpClientName, bool critical, Action<DependencyOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(httpClientName);
        return builder.AddHttp(name, url, critical, d =>
        {
            d.HttpClientName = httpClientName;
            configure?.Invoke(d);
        });
    }

    /// <summary>Adds a gRPC dependency: <c>grpc.health.v1.Health/Check</c> answers SERVING.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">
    /// The URL: <c>grpc://host:port</c> (TLS on port 443, else plaintext h2c unless <see cref="DependencyOptions.Tls"/> says otherwise),
    /// <c>https://</c> (TLS) or <c>http://</c> (h2c); several hosts allowed.
    /// </param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (service name, metadata, auth, authority, TLS…).</param>
    public static IDependencyHealthBuilder AddGrpc(this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddUrl(name, DependencyTypes.Grpc, url, critical, configure);

    /// <summary>Adds a Redis dependency: <c>PING</c> answers <c>PONG</c>, after <c>AUTH</c> and <c>SELECT</c> as the URL says.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL, <c>redis://[user]:password@host:port/db</c> or <c>rediss://</c> for TLS; several hosts allowed.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddRedis(this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddUrl(name, DependencyTypes.Redis, url, critical, configure);

    /// <summary>Adds a Kafka dependency: each broker answers a metadata request listing at least one broker.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL, for example <c>kafka://b0:9092,b1:9092</c>; one endpoint per broker.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddKafka(this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddUrl(name, DependencyTypes.Kafka, url, critical, configure);

    /// <summary>Adds a TCP dependency: the connection opens.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddTcp(this IDependencyHealthBuilder builder, string name, string host, int port, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Tcp;
            d.Host = host;
            d.Port = port;
            d.Critical = critical;
            configure?.Invoke(d);
        });

    /// <summary>Adds a dependency checked by a custom checker created from the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type reported in the <c>type</c> label.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="checker">Creates the checker.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddChecker(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical,
        Func<IServiceProvider, IDependencyChecker> checker, Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(checker);
        return builder.AddDependency(name, d =>
        {
            d.Type = type;
            d.Host = host;
            d.Port = port;
            d.Critical = critical;
            d.CheckerFactory = checker;
            configure?.Invoke(d);
        });
    }

    /// <summary>Adds a dependency checked by <typeparamref name="TChecker"/>, resolved from DI (registered as a singleton if absent).</summary>
    /// <typeparam name="TChecker">The checker type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type reported in the <c>type</c> label.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddChecker<TChecker>(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical, Action<DependencyOptions>? configure = null)
        where TChecker : class, IDependencyChecker
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TChecker>();
        return builder.AddChecker(name, type, host, port, critical, static sp => sp.GetRequiredService<TChecker>(), configure);
    }

    /// <summary>Adds a dependency checked by a delegate: its result, or the classified exception when it throws.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="type">The contract type reported in the <c>type</c> label.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="check">The check.</param>
    /// <param name="configure">Sets further options.</param>
    public static IDependencyHealthBuilder AddCheck(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical,
        Func<EndpointSpec, CancellationToken, ValueTask<CheckResult>> check, Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        var checker = new DelegateChecker(check);
        return builder.AddChecker(name, type, host, port, critical, _ => checker, configure);
    }

    /// <summary>Registers a checker factory for a dependency type, so that configuration alone can use it.</summary>
    /// <typeparam name="TFactory">The factory.</typeparam>
    /// <param name="builder">The builder.</param>
    public static IDependencyHealthBuilder AddCheckerFactory<TFactory>(this IDependencyHealthBuilder builder)
        where TFactory : class, IDependencyCheckerFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, TFactory>());
        return builder;
    }

    /// <summary>
    /// Registers an observer told of every health transition (see <see cref="IDependencyHealthObserver"/>). The observer
    /// is the container's singleton <typeparamref name="TObserver"/>: registered here unless the application already did; adding
    /// the same type twice registers it once.
    /// </summary>
    /// <typeparam name="TObserver">The observer.</typeparam>
    /// <param name="builder">The builder.</param>
    public static IDependencyHealthBuilder AddDependencyHealthObserver<TObserver>(this IDependencyHealthBuilder builder)
        where TObserver : class, IDependencyHealthObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TObserver>();

        // Keyed by TObserver, so adding the same observer twice registers it once.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyHealthObserver, TObserver>(static sp => sp.GetRequiredService<TObserver>()));

        return builder;
    }

    /// <summary>
    /// Reads the named dependencies from the contract's environment form: <c>DEPHEALTH_&lt;DEP&gt;_URL</c>, <c>_HOST</c>,
    /// <c>_PORT</c>, <c>_TYPE</c>, <c>_CHECK_INTERVAL</c> and <c>_TIMEOUT</c> (seconds), <c>_CRITICAL</c> (<c>yes</c>/<c>no</c>),
    /// <c>_HEALTH_PATH</c>, <c>_HOST_HEADER</c>, <c>_GRPC_AUTHORITY</c>, <c>_BEARER_TOKEN</c>, <c>_BASIC_USERNAME</c>,
    /// <c>_BASIC_PASSWORD</c> and <c>_LABEL_&lt;KEY&gt;</c>. Only these dependencies' variables are read; the same as
    /// listing them in <c>DependencyHealth:FromEnvironment</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dependencies">Dependency names, as <c>postgres-main</c> or <c>POSTGRES_MAIN</c>.</param>
    public static IDependencyHealthBuilder FromEnvironment(this IDependencyHealthBuilder builder, params string[] dependencies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dependencies);
        builder.Services.Configure<DependencyHealthOptions>(options =>
        {
            foreach (var dependency in dependencies)
            {
                if (!options.FromEnvironment.Contains(dependency))
                {
                    options.FromEnvironment.Add(dependency);
                }
            }
        });
        return builder;
    }

    // The shape every URL-based registration above shares.
    private static IDependencyHealthBuilder AddUrl(this IDependencyHealthBuilder builder, string name, string type, string url, bool critical, Action<DependencyOptions>? configure) =>
        builder.AddDependency(name, d =>
        {
            d.Type = type;
            d.Url = url;
            d.Critical = critical;
            configure?.Invoke(d);
        });
}
