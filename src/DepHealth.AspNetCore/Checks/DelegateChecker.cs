namespace DepHealth.AspNetCore.Checks;

/// <summary>Adapts a delegate to <see cref="IDependencyChecker"/>.</summary>
internal sealed class DelegateChecker(Func<EndpointSpec, CancellationToken, ValueTask> check) : IDependencyChecker
{
    public ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) => check(endpoint, cancellationToken);
}
