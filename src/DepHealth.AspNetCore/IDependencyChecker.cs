namespace DepHealth.AspNetCore;

/// <summary>
/// Checks one endpoint of a dependency, as <c>IHealthCheck</c> checks a service: an expected failure is returned as
/// <see cref="CheckResult.Unhealthy"/> with the contract's detail value; an exception thrown instead is classified by
/// the scheduler (<see cref="DependencyCheckException"/> names its detail, any other by type and error code).
/// </summary>
/// <remarks>
/// Implementations must honour the cancellation token; a check that does not is abandoned
/// at its timeout and recorded as a <c>timeout</c>. Checkers are only ever called by the scheduler.
/// </remarks>
public interface IDependencyChecker
{
    /// <summary>Runs one check against <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The endpoint being checked.</param>
    /// <param name="cancellationToken">Cancelled at the check's timeout or at shutdown.</param>
    ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken);
}
