using DepHealth.AspNetCore.Api;
using DepHealth.AspNetCore.Checks.Grpc;
using DepHealth.AspNetCore.Checks.Http;
using DepHealth.AspNetCore.Checks.Kafka;
using DepHealth.AspNetCore.Checks.Redis;
using DepHealth.AspNetCore.Checks.Tcp;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Configuration;
using DepHealth.AspNetCore.Hosting;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Monitoring;
using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using DepHealth.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers dependency health monitoring.</summary>
public static class DependencyHealthServiceCollectionExtensions
{
    /// <summary>The health check registered for liveness, tagged <see cref="LiveTag"/>.</summary>
    public const string LivenessCheckName = "dephealth-live";

    /// <summary>The health check registered for readiness, tagged <see cref="ReadyTag"/>.</summary>
    public const string ReadinessCheckName = "dephealth-ready";

    /// <summary>The tag of checks served by <c>/health/live</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of checks served by <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the scheduler, the state store, the registry, metrics and the live/ready health checks.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding.</param>
    public static IDependencyHealthBuilder AddDependencyHealth(this IServiceCollection services, Action<DependencyHealthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new DependencyHealthBuilder(services);
    }

    /// <summary>
    /// Registers dependency health monitoring and binds the <c>DependencyHealth</c> section of
    /// <paramref name="configuration"/> (or the section itself when it is passed).
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The application's configuration or its <c>DependencyHealth</c> section.</param>
    /// <param name="configure">Sets options in code; runs after configuration binding.</param>
    public static IDependencyHealthBuilder AddDependencyHealth(
        this IServiceCollection services, IConfiguration configuration, Action<DependencyHealthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: DependencyHealthOptions.SectionName } own
            ? own
            : configuration.GetSection(DependencyHealthOptions.SectionName);
        AddCore(services);
        // Strict binding: by default the binder silently drops a dependency whose value cannot be converted (a Port
        // of "abc" would make a reload remove the endpoint) and ignores misspelt keys; strict, both are validation
        // errors that name the key, at startup and on reload.
        services.AddSingleton<IOptionsChangeTokenSource<DependencyHealthOptions>>(new ConfigurationChangeTokenSource<DependencyHealthOptions>(section));
        services.AddSingleton<IConfigureOptions<DependencyHealthOptions>>(new DependencyHealthConfigurationBinding(section));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new DependencyHealthBuilder(services);
    }

    private static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HealthStateStore)))
        {
            return;
        }

        services.AddOptions<DependencyHealthOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DependencyHealthOptions>, EnvironmentNamePostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DependencyHealthOptions>, EnvironmentDependenciesPostConfigure>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DependencyHealthOptions>, DependencyHealthOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<HealthStateStore>();
        services.AddSingleton<SchedulerStatistics>();
        services.AddSingleton<DependencyHealthMeter>();
        services.AddSingleton<RegistryChangeCounter>();
        services.AddSingleton<ConfigReloadMetrics>();
        services.AddSingleton<HealthChangeNotifier>();
        services.AddSingleton<DependencyHealthMonitor>();
        services.AddSingleton<IDependencyHealthMonitor>(static sp => sp.GetRequiredService<DependencyHealthMonitor>());
        services.AddSingleton<CheckScheduler>();
        services.AddSingleton<CheckerCatalog>();
        services.AddSingleton<EndpointStoreHolder>();
        services.AddSingleton<RegistryStoreSync>();
        services.AddSingleton<EndpointHistoryPersistence>();
        services.AddSingleton<RegistryAudit>();
        services.AddSingleton<EndpointEntryFactory>();
        services.AddSingleton<StoreVersions>();
        services.AddSingleton<EndpointStoreWriter>();
        services.AddSingleton<EndpointChangeApplier>();
        services.AddSingleton<StoreReplication>();
        services.AddSingleton<ConfigurationReconciler>();
        services.AddSingleton<EndpointRegistry>();
        services.AddSingleton<IEndpointRegistry>(sp => sp.GetRequiredService<EndpointRegistry>());
        services.AddSingleton<PrometheusExposition>();
        services.AddSingleton<HealthDetailsWriter>();
        services.AddSingleton<RegistryMutationLimiter>();
        RegistryAuthorizationResultHandler.Register(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, TcpCheckerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, HttpCheckerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, RedisCheckerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, KafkaCheckerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyCheckerFactory, GrpcCheckerFactory>());
        services.AddHostedService<DependencyHealthHostedService>();
        services.AddSingleton<DependencyHealthOptionsReader>();
        services.AddSingleton<ConfigurationReloader>();
        services.AddHostedService(static sp => sp.GetRequiredService<ConfigurationReloader>());

        // Singletons, so that the health-check service resolves them per probe instead of constructing them by reflection.
        services.TryAddSingleton<LivenessHealthCheck>();
        services.TryAddSingleton<ReadinessHealthCheck>();

        services.AddHealthChecks()
            .AddCheck<LivenessHealthCheck>(LivenessCheckName, tags: [LiveTag])
            .AddCheck<ReadinessHealthCheck>(ReadinessCheckName, tags: [ReadyTag]);
    }
}
