using DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests;

/// <summary>
/// The OpenTelemetry Prometheus exporter, fed by AddDependencyHealthInstrumentation(), prints the four contract families as
/// the package's own /metrics does, family by family, from the same state: only the documented differences are allowed.
/// </summary>
[Trait("Category", "unit")]
[Collection(OneAppAtATime.Name)]
public sealed class ExporterParityTests(BothExportersFixture fixture) : IClassFixture<BothExportersFixture>
{
    [Theory]
    [MemberData(nameof(ContractFamilies.All), MemberType = typeof(ContractFamilies))]
    public void Exporter_prints_the_family_with_the_same_help_text(string family)
    {
        Assert.Equal(fixture.Ours[family].Help, Family(family).Help);
    }

    [Theory]
    [MemberData(nameof(ContractFamilies.All), MemberType = typeof(ContractFamilies))]
    public void Exporter_prints_the_family_with_the_same_type(string family)
    {
        Assert.Equal(fixture.Ours[family].Type, Family(family).Type);
    }

    [Theory]
    [MemberData(nameof(ContractFamilies.All), MemberType = typeof(ContractFamilies))]
    public void Exporter_series_carry_the_contract_labels_plus_only_the_scope_labels(string family)
    {
        var ours = fixture.Ours[family].Samples.Select(s => s.Key()).Order(StringComparer.Ordinal);
        var exporter = Family(family).Samples.Select(s => s.Key(ContractFamilies.ScopeLabels)).Order(StringComparer.Ordinal);

        Assert.Equal(ours, exporter);
        Assert.All(Family(family).Samples, s => Assert.All(ContractFamilies.ScopeLabels, scope => Assert.NotNull(s.Label(scope))));
    }

    [Theory]
    [MemberData(nameof(ContractFamilies.All), MemberType = typeof(ContractFamilies))]
    public void Exporter_series_have_the_same_values(string family)
    {
        var ours = fixture.Ours[family].Samples.ToDictionary(s => s.Key(), s => s.Value, StringComparer.Ordinal);
        var exporter = Family(family).Samples.ToDictionary(s => s.Key(ContractFamilies.ScopeLabels), s => s.Value, StringComparer.Ordinal);

        Assert.Equal(ours.OrderBy(s => s.Key, StringComparer.Ordinal), exporter.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Exporter_latency_buckets_are_the_contracts()
    {
        var buckets = Family(ContractFamilies.Latency).Samples.Where(s => s.Name == ContractFamilies.Latency + "_bucket");

        Assert.All(buckets.GroupBy(s => s.Key(["le", .. ContractFamilies.ScopeLabels])), series =>
            Assert.Equal(ContractFamilies.Buckets, series.Select(s => s.Label("le"))));
    }

    [Fact]
    public void Exporter_latency_spreads_over_several_buckets_as_the_checks_took()
    {
        var firstBucketHit = Family(ContractFamilies.Latency).Samples
            .Where(s => s.Name == ContractFamilies.Latency + "_bucket" && s.Value > 0)
            .GroupBy(s => s.Label("dependency"))
            .Select(series => series.First().Label("le"));

        Assert.True(firstBucketHit.Distinct().Count() >= 3, $"the latencies fell into too few buckets to compare: {string.Join(", ", firstBucketHit)}");
    }

    [Fact]
    public void Exporter_scope_labels_name_the_package_meter()
    {
        var scopes = ContractFamilies.Names.SelectMany(f => Family(f).Samples).Select(s => s.Label("otel_scope_name")).Distinct();

        Assert.Equal([DependencyHealthMetrics.MeterName], scopes);
    }

    private ScrapedFamily Family(string name)
    {
        Assert.True(fixture.Exporter.TryGetValue(name, out var family), $"the exporter has no family {name}:\n{fixture.ExporterText}");
        return family!;
    }
}
