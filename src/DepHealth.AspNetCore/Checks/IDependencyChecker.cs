namespace DepHealth.AspNetCore;

/// <summary>
/// Checks one endpoint of a dependency. A check succeeds when <see cref="CheckAsync"/> completes
/// and fails when it throws; throw <see cref="DependencyCheckException"/> to name the contract's
/// detail value, any other exception is classified by the scheduler.
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
    ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken);
}
