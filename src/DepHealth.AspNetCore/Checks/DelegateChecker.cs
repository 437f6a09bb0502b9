namespace DepHealth.AspNetCore.Checks;

/// <summary>Adapts a delegate to <see cref="IDependencyChecker"/>.</summary>
internal sealed class DelegateChecker(Func<EndpointSpec, CancellationToken, ValueTask<CheckResult>> check) : IDependencyChecker
{
    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) => check(endpoint, cancellationToken);
}
