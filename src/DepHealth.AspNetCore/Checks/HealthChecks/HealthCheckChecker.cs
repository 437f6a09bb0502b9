using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Checks.HealthChecks;

/// <summary>
/// Runs an <see cref="IHealthCheck"/> as <c>HealthCheckService</c> does: the check is created from its registration
/// in a new service scope per run and given a <see cref="HealthCheckContext"/> with that registration. Anything but
/// <see cref="HealthStatus.Healthy"/> fails the check with the detail <see cref="HealthCheckFailure"/> decides.
/// </summary>
internal sealed class HealthCheckChecker : IDependencyChecker
{
    private readonly IServiceScopeFactory _scopes;
    private readonly HealthCheckRegistration? _registration;
    private readonly Func<IServiceProvider, IHealthCheck>? _factory;
    private readonly TimeSpan _globalTimeout;
    private HealthCheckRegistration? _own;

    /// <summary>Runs a check registered with the application's health checks, under that registration.</summary>
    public HealthCheckChecker(IServiceProvider services, HealthCheckRegistration registration)
        : this(services)
    {
        _registration = registration;
    }

    /// <summary>Runs checks from <paramref name="factory"/> under a registration named after the dependency.</summary>
    public HealthCheckChecker(IServiceProvider services, Func<IServiceProvider, IHealthCheck> factory)
        : this(services)
    {
        _factory = factory;
    }

    private HealthCheckChecker(IServiceProvider services)
    {
        _scopes = services.GetRequiredService<IServiceScopeFactory>();
        _globalTimeout = CheckTimeouts.Global(services);
    }

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var registration = _registration ?? (_own ??= OwnRegistration(endpoint));
        HealthCheckResult result;
        var scope = _scopes.CreateAsyncScope();
        await using (scope)
        {
            try
            {
                var check = registration.Factory(scope.ServiceProvider);
                result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The scheduler's timeout or shutdown: it classifies this itself.
                throw;
            }
            catch (Exception exception)
            {
                return HealthCheckFailure.Thrown(registration.Name, endpoint.Type, exception);
            }
        }

        return result.Status == HealthStatus.Healthy
            ? CheckResult.Healthy
            : HealthCheckFailure.Reported(registration.Name, endpoint.Type, result.Status, result.Exception);
    }

    // As AddCheck would register it: failure status Unhealthy, no tags, the endpoint's timeout.
    private HealthCheckRegistration OwnRegistration(EndpointSpec endpoint) =>
        new(endpoint.Dependency, _factory!, HealthStatus.Unhealthy, tags: null, CheckTimeouts.Of(endpoint, _globalTimeout));
}
