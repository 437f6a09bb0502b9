using DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests;

/// <summary>
/// With the exporter's <c>ScopeInfoEnabled</c> and <c>TargetInfoEnabled</c> off, as the docs suggest for dashboards that
/// match label sets exactly, the four contract families carry exactly the contract's labels and no family is added.
/// </summary>
[Trait("Category", "unit")]
[Collection(OneAppAtATime.Name)]
public sealed class ExporterWithoutScopeInfoTests
{
    [Fact]
    public async Task Exporter_without_scope_and_target_info_prints_the_same_contract_series()
    {
        await using var app = await BothExportersApp.StartAsync(exporter: o =>
        {
            o.ScopeInfoEnabled = false;
            o.TargetInfoEnabled = false;
        });

        var ours = ExpositionText.Parse(await app.OursAsync());
        var exporter = ExpositionText.Parse(await app.ExporterAsync());

        Assert.Empty(exporter.Keys.Except(ours.Keys));
        Assert.All(ContractFamilies.Names, f => Assert.Equal(
            ours[f].Samples.Select(s => (s.Key(), s.Value)).Order(),
            exporter[f].Samples.Select(s => (s.Key(), s.Value)).Order()));
    }
}
