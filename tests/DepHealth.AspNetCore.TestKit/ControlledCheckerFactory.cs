namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// Replaces the tcp checker for configuration-driven tests. The label <c>mode</c> of an endpoint decides each check:
/// <c>ok</c> (default) succeeds, <c>fail</c> fails, <c>hold</c> waits for <see cref="ReleaseHeld"/>. Creating a checker
/// for host <c>blocked</c> waits for <see cref="ReleaseCreate"/>, so a test can observe a reload in the middle of being applied.
/// </summary>
public sealed class ControlledCheckerFactory : DependencyCheckerFactory<EndpointSpec>
{
    private readonly ManualResetEventSlim _create = new(initialState: true);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Type => DependencyTypes.Tcp;

    // Every option of the core's types, so tests can give any of them; a misspelt key is still refused.
    public override IReadOnlyList<string> OptionKeys { get; } = typeof(CheckerOptionKeys)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .Select(k => k is CheckerOptionKeys.Headers or CheckerOptionKeys.Metadata ? k + ":" : k)
        .ToList();

    private int _creating;

    public int Creating => Volatile.Read(ref _creating);

    public void BlockCreate() => _create.Reset();

    public void ReleaseCreate() => _create.Set();

    public void ReleaseHeld() => _held.TrySetResult();

    protected override EndpointSpec Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => endpoint;

    protected override IDependencyChecker Create(EndpointSpec endpoint, EndpointSpec settings, IServiceProvider services)
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
