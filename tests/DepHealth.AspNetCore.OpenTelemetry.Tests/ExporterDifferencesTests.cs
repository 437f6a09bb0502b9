using DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests;

/// <summary>
/// What the OpenTelemetry Prometheus exporter always prints differently from the package's /metrics, as the README and
/// docs/metrics-and-details.md list it: these tests keep that list true.
/// </summary>
[Trait("Category", "unit")]
[Collection(OneAppAtATime.Name)]
public sealed class ExporterDifferencesTests(BothExportersFixture fixture) : IClassFixture<BothExportersFixture>
{
    [Fact]
    public void Exporter_adds_a_target_info_family_with_the_resource_attributes()
    {
        var added = fixture.Exporter.Keys.Except(fixture.Ours.Keys);

        Assert.Equal(["target_info"], added);
        Assert.Equal("opentelemetry", Assert.Single(fixture.Exporter["target_info"].Samples).Label("telemetry_sdk_name"));
    }

    [Fact]
    public void Exporter_leaves_out_a_histogram_nothing_was_recorded_in()
    {
        var missing = fixture.Ours.Keys.Except(fixture.Exporter.Keys);

        Assert.Equal(["app_dependency_config_reload_duration_seconds"], missing);
    }

    [Fact]
    public void Exporter_writes_the_scope_labels_first_then_the_others_by_name_with_le_last()
    {
        var samples = ContractFamilies.Names.SelectMany(f => fixture.Exporter[f].Samples).ToList();

        Assert.All(samples, s =>
        {
            var names = s.Labels.Select(l => l.Key).ToList();
            var others = names.Except([.. ContractFamilies.ScopeLabels, "le"]).ToList();
            Assert.Equal([.. ContractFamilies.ScopeLabels, .. others.Order(StringComparer.Ordinal), .. names.Contains("le") ? new[] { "le" } : []], names);
        });
    }

    [Fact]
    public void Exporter_writes_type_before_help()
    {
        Assert.All(ContractFamilies.Names, f => Assert.Equal(["TYPE", "HELP"], fixture.Exporter[f].MetadataOrder));
        Assert.All(ContractFamilies.Names, f => Assert.Equal(["HELP", "TYPE"], fixture.Ours[f].MetadataOrder));
    }

    [Fact]
    public void Exporter_scope_version_is_the_core_assembly_version()
    {
        var version = typeof(DependencyHealthMetrics).Assembly.GetName().Version!.ToString();

        Assert.All(ContractFamilies.Names.SelectMany(f => fixture.Exporter[f].Samples), s => Assert.Equal(version, s.Label("otel_scope_version")));
    }
}
