namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The dependency health probes as <c>grpc.health.v1</c> services, for Kubernetes gRPC probes: <c>readiness</c> answers
/// as <c>/health/ready</c> does and <c>liveness</c> as <c>/health/live</c>, from the same health checks.
/// </summary>
public static class GrpcProbeServiceCollectionExtensions
{
    /// <summary>The gRPC health service name answered like <c>/health/ready</c>.</summary>
    public const string ReadinessService = "readiness";

    /// <summary>The gRPC health service name answered like <c>/health/live</c>.</summary>
    public const string LivenessService = "liveness";

    /// <summary>
    /// Registers gRPC and the gRPC health service (Grpc.AspNetCore.HealthChecks) with the services
    /// <see cref="ReadinessService"/> (the health checks tagged <c>ready</c>) and <see cref="LivenessService"/> (tagged
    /// <c>live</c>); map it with <c>app.MapGrpcHealthChecksService()</c>. Each <c>Check</c> evaluates the checks when it
    /// is asked (no cache): the package's own checks read the scheduler's state, so a probe costs no check of a dependency.
    /// SERVING while no check of the service is unhealthy (degraded is SERVING, as <c>/health/ready</c> answers 200);
    /// NOT_SERVING otherwise; a service name it does not know is NOT_FOUND.
    /// </summary>
    /// <param name="services">The application's services, with <c>AddDependencyHealth(...)</c> registered.</param>
    public static IServiceCollection AddDependencyHealthGrpcProbes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc();
        services.AddGrpcHealthChecks(options =>
        {
            options.UseHealthChecksCache = false;
            options.Services.Map(ReadinessService, c => c.Tags.Contains(DependencyHealthServiceCollectionExtensions.ReadyTag));
            options.Services.Map(LivenessService, c => c.Tags.Contains(DependencyHealthServiceCollectionExtensions.LiveTag));
        });
        return services;
    }
}
