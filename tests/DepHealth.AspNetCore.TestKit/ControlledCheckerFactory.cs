namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// Replaces the tcp checker for configuration-driven tests. The label <c>mode</c> of an endpoint decides each check:
/// <c>ok</c> (default) succeeds, <c>fail</c> fails, <c>hold</c> waits for <see cref="ReleaseHeld"/>. Creating a checker
/// for host <c>blocked</c> waits for <see cref="ReleaseCreate"/>, so a test can observe a reload in the middle of being applied.
/// </summary>
public sealed class ControlledCheckerFactory : IDependencyCheckerFactory
{
    private readonly ManualResetEventSlim _create = new(initialState: true);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Type => DependencyTypes.Tcp;

    private int _creating;

    public int Creating => Volatile.Read(ref _creating);

    public void BlockCreate() => _create.Reset();

    public void ReleaseCreate() => _create.Set();

    public void ReleaseHeld() => _held.TrySetResult();

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
    }

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        if (endpoint.Host == "blocked")
        {
            Interlocked.Increment(ref _creating);
            _create.Wait(TimeSpan.FromSeconds(30));
        }

        return new Checker(this);
    }

    private sealed class Checker(ControlledCheckerFactory owner) : IDependencyChecker
    {
        public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
        {
            switch (endpoint.Labels.TryGetValue("mode", out var mode) ? mode : "ok")
            {
                case "fail":
                    return CheckResult.Unhealthy(CheckDetails.Unhealthy, "scripted failure");
                case "hold":
                    await owner._held.Task.WaitAsync(cancellationToken);
                    break;
            }

            return CheckResult.Healthy;
        }
    }
}
