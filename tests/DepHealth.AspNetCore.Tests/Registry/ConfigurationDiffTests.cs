using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>A configuration reload starts what is new, replaces what changed, stops what is gone and leaves the rest.</summary>
[Trait("Category", "unit")]
public sealed class ConfigurationDiffTests
{
    private static EndpointSpec Spec(string dependency, int port = 80, bool critical = true) =>
        new() { Dependency = dependency, Type = "tcp", Host = $"{dependency}.svc", Port = port, Critical = critical };

    private static Dictionary<EndpointKey, EndpointSpec> Wanted(params EndpointSpec[] specs) => specs.ToDictionary(s => s.Key);

    [Fact]
    public void A_configured_key_that_is_not_running_is_added()
    {
        var diff = ConfigurationDiff.Between([Spec("a")], Wanted(Spec("a"), Spec("b")));

        Assert.Equal([Spec("b").Key], diff.Added);
        Assert.Empty(diff.Updated);
        Assert.Empty(diff.Removed);
    }

    [Fact]
    public void A_running_key_that_is_no_longer_configured_is_removed()
    {
        var diff = ConfigurationDiff.Between([Spec("a"), Spec("b")], Wanted(Spec("a")));

        Assert.Equal([Spec("b").Key], diff.Removed);
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Updated);
    }

    [Fact]
    public void A_key_whose_spec_changed_is_updated()
    {
        var diff = ConfigurationDiff.Between([Spec("a", critical: true)], Wanted(Spec("a", critical: false)));

        Assert.Equal([Spec("a").Key], diff.Updated);
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
    }

    [Fact]
    public void An_equal_spec_is_left_alone()
    {
        var diff = ConfigurationDiff.Between([Spec("a") with { Labels = new Dictionary<string, string> { ["zone"] = "x" } }], Wanted(Spec("a") with { Labels = new Dictionary<string, string> { ["zone"] = "x" } }));

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Each_list_is_in_key_order()
    {
        var diff = ConfigurationDiff.Between(
            [Spec("z", 2), Spec("y", 2), Spec("m", 1, critical: false), Spec("l", 1, critical: false)],
            Wanted(Spec("d"), Spec("m", 1), Spec("c"), Spec("l", 1)));

        Assert.Equal([Spec("c").Key, Spec("d").Key], diff.Added);
        Assert.Equal([Spec("l", 1).Key, Spec("m", 1).Key], diff.Updated);
        Assert.Equal([Spec("y", 2).Key, Spec("z", 2).Key], diff.Removed);
    }
}
