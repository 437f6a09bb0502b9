using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Tests.Diagnostics;

/// <summary>Contract §2 logging: each failed check at Warning, the transition to unhealthy at Error, recovery at Information.</summary>
[Trait("Category", "unit")]
public sealed class LoggingTests
{
    private static async Task<SchedulerHarness> RunAsync(ScriptedChecker checker, SchedulerHarness harness, int checks)
    {
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("logged", checker: checker));
        await harness.WaitForChecksAsync("logged", "127.0.0.1", 8080, 1);
        for (var i = 2; i <= checks; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(10));
            await harness.WaitForChecksAsync("logged", "127.0.0.1", 8080, i);
        }

        return harness;
    }

    [Fact]
    public async Task Failed_checks_warn_the_first_unhealthy_transition_errors_and_recovery_informs()
    {
        await using var harness = new SchedulerHarness(o => o.FailureThreshold = 2);
        var checker = new ScriptedChecker(harness.Time).ThenSucceed().ThenFail("connection_refused").ThenFail("connection_refused").ThenFail("connection_refused").ThenSucceed();
        await RunAsync(checker, harness, 5);

        // A check is counted before its result is logged: wait for the last check's entry.
        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1003).Count > 0, "the recovery is logged");
        var events = harness.Logs.Records().Where(r => r.Id.Id is >= 1001 and <= 1004).Select(r => (r.Id.Id, r.Level)).ToArray();

        Assert.Equal(
            [
                (1004, LogLevel.Debug),
                (1001, LogLevel.Warning),
                (1001, LogLevel.Warning),
                (1002, LogLevel.Error),
                (1001, LogLevel.Warning),
                (1003, LogLevel.Information),
            ],
            events);
    }

    [Fact]
    public async Task Failure_reasons_are_scrubbed_of_the_endpoints_secrets()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time).ThenThrow(new InvalidOperationException("login failed for admin with password Sup3r-S3cret and token tok-999"));
        await harness.StartAsync();
        var spec = SchedulerHarness.Spec("leaky", checker: checker) with
        {
            Options = new Dictionary<string, string>
            {
                ["Url"] = "http://admin:Sup3r-S3cret@127.0.0.1:8080",
                ["BearerToken"] = "tok-999",
            },
        };

        await harness.Registry.AddAsync(spec);
        await harness.WaitForChecksAsync("leaky", "127.0.0.1", 8080, 1);
        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1001).Count > 0, "the failed check is logged");

        var warning = Assert.Single(harness.Logs.WithEventId(1001));
        Assert.Contains("login failed for admin with password *** and token ***", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-S3cret", harness.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok-999", harness.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_events_come_from_the_package_categories()
    {
        await using var harness = new SchedulerHarness();
        await RunAsync(new ScriptedChecker(harness.Time).ThenFail(), harness, 1);
        await Eventually.TrueAsync(() => harness.Logs.WithEventId(1002).Count > 0, "the check's entries are logged");

        Assert.All(
            harness.Logs.Records().Where(r => r.Id.Id is >= 1001 and <= 3003),
            r => Assert.StartsWith("DepHealth.AspNetCore.", r.Category, StringComparison.Ordinal));
    }
}
