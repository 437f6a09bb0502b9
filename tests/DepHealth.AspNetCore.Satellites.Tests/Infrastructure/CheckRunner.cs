
namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>The contract detail of one check and its failure: the exception it threw, or its result's description and exception as one.</summary>
internal sealed record CheckOutcome(string Detail, Exception? Exception);

/// <summary>Runs a checker as the scheduler does and classifies the outcome with the core's classifier.</summary>
internal static class CheckRunner
{
    /// <summary>Long enough for any healthy check here; a failure test that hangs fails instead.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    public static async Task<CheckOutcome> RunAsync(IDependencyChecker checker, EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        try
        {
            var result = await checker.CheckAsync(endpoint, cancellationToken);
            return result.IsHealthy
                ? new CheckOutcome(CheckDetails.Ok, null)
                : new CheckOutcome(result.Detail, new DependencyCheckException(result.Detail, result.Description ?? result.Detail, result.Exception));
        }
        catch (Exception e)
        {
            return new CheckOutcome(ErrorClassifier.Classify(e), e);
        }
    }

    public static async Task<CheckOutcome> RunAsync(IDependencyChecker checker, EndpointSpec endpoint)
    {
        using var cts = new CancellationTokenSource(Generous);
        return await RunAsync(checker, endpoint, cts.Token);
    }

    /// <summary>
    /// Starts a check against <paramref name="server"/>'s port, cancels its token once the server has accepted the
    /// connection, and returns the outcome; fails when the check does not end within two seconds of cancellation.
    /// </summary>
    public static async Task<CheckOutcome> RunUntilCancelledAsync(IDependencyChecker checker, EndpointSpec endpoint, SilentServer server)
    {
        using var cts = new CancellationTokenSource();
        var check = RunAsync(checker, endpoint, cts.Token);
        await server.Accepted.WaitAsync(Generous);
        await cts.CancelAsync();
        return await check.WaitAsync(TimeSpan.FromSeconds(2));
    }
}
