namespace DepHealth.AspNetCore.Tests.Scheduling;

[Trait("Category", "unit")]
public sealed class CheckResultRecordingTests
{
    [Fact]
    public async Task A_returned_failure_is_recorded_with_its_detail()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenFail(CheckDetails.NoBrokers)));

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        var state = harness.State("api", "127.0.0.1", 8080);
        Assert.Equal(("unhealthy", "no_brokers"), (state.Status, state.Detail));
    }

    [Fact]
    public async Task A_returned_failure_logs_its_description()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).Then(_ => ValueTask.FromResult(CheckResult.Unhealthy(CheckDetails.AuthError, "the broker refused the login")));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1001).Count > 0, "the failed check is logged");

        Assert.Contains("the broker refused the login", Assert.Single(harness.Logs.WithEventId(1001)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thrown_exception_is_still_classified()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).ThenThrow(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        Assert.Equal("dns_error", harness.State("api", "127.0.0.1", 8080).Detail);
    }

    [Fact]
    public async Task A_returned_success_is_recorded_as_ok()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: new ScriptedChecker(harness.Time).ThenSucceed()));

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);

        Assert.Equal("ok", harness.State("api", "127.0.0.1", 8080).Detail);
        Assert.Empty(harness.Logs.WithEventId(1001));
    }
}
