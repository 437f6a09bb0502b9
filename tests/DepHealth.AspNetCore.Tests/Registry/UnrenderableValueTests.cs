namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>Values that no output could render faithfully are refused when the endpoint is added, naming the field.</summary>
[Trait("Category", "unit")]
public sealed class UnrenderableValueTests
{
    [Fact]
    public async Task A_label_value_holding_a_lone_surrogate_is_refused_naming_the_label()
    {
        await using var harness = new SchedulerHarness();

        var refused = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(
            Spec() with { Labels = new Dictionary<string, string> { ["zone"] = "a\ud800b" } }));

        Assert.Contains(refused.Errors, e => e.Field == "Labels:zone" && e.Message.Contains("lone surrogate", StringComparison.Ordinal));
        Assert.Empty(harness.Registry.GetAll());
    }

    [Fact]
    public async Task An_option_without_a_value_is_refused_naming_the_option()
    {
        await using var harness = new SchedulerHarness();

        var refused = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(
            Spec() with { Options = new Dictionary<string, string> { ["Tls"] = null! } }));

        Assert.Contains(refused.Errors, e => e.Field == "Tls" && e.Message.Contains("required", StringComparison.Ordinal));
        Assert.Empty(harness.Registry.GetAll());
    }

    private static EndpointSpec Spec() => new() { Dependency = "odd", Type = "tcp", Host = "odd.svc", Port = 1234, Critical = false };
}
