using System.Diagnostics;

namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>An endpoint's loop outlives whatever added it, so it carries none of the caller's async context.</summary>
[Trait("Category", "unit")]
public sealed class LoopContextTests
{
    private static readonly AsyncLocal<string?> CallerValue = new();

    [Fact]
    public async Task Checks_of_an_endpoint_added_during_a_request_do_not_see_the_requests_async_locals()
    {
        await using var harness = new SchedulerHarness();
        string? seen = "not checked";
        var checker = new ScriptedChecker(harness.Time).Then(_ =>
        {
            seen = CallerValue.Value;
            return ValueTask.CompletedTask;
        });
        await harness.StartAsync();

        CallerValue.Value = "request";
        await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        CallerValue.Value = null;

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        Assert.Null(seen);
    }

    [Fact]
    public async Task Checks_of_an_endpoint_added_during_a_request_are_not_parented_to_its_activity()
    {
        await using var harness = new SchedulerHarness();
        Activity? seen = null;
        var checkedOnce = false;
        var checker = new ScriptedChecker(harness.Time).Then(_ =>
        {
            seen = Activity.Current;
            checkedOnce = true;
            return ValueTask.CompletedTask;
        });
        await harness.StartAsync();

        using (new Activity("registry-request").Start())
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec(checker: checker));
        }

        await harness.WaitForChecksAsync("api", "127.0.0.1", 8080, 1);
        Assert.True(checkedOnce);
        Assert.Null(seen);
    }
}
