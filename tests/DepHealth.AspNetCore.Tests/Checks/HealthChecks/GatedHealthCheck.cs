using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>An <see cref="IHealthCheck"/> whose result the test releases; it records the context and token it was given.</summary>
internal sealed class GatedHealthCheck(bool honoursCancellation = false) : IHealthCheck
{
    private readonly TaskCompletionSource<HealthCheckResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(HealthCheckContext Context, CancellationToken Token)> _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the first call's context and token.</summary>
    public Task<(HealthCheckContext Context, CancellationToken Token)> Called => _called.Task.WaitAsync(Eventually.DefaultTimeout);

    public void Return(HealthCheckResult result) => _result.TrySetResult(result);

    public void Throw(Exception exception) => _result.TrySetException(exception);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        _called.TrySetResult((context, cancellationToken));
        return honoursCancellation ? _result.Task.WaitAsync(cancellationToken) : _result.Task;
    }
}
