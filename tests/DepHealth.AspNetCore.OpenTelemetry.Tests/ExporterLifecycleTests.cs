using DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests;

/// <summary>The exporter's series over an endpoint's life: none before its first check, and what removing it takes away.</summary>
[Trait("Category", "unit")]
[Collection(OneAppAtATime.Name)]
public sealed class ExporterLifecycleTests
{
    private static readonly string[] Gauges = [ContractFamilies.Health, ContractFamilies.Status, ContractFamilies.Detail];

    [Fact]
    public async Task Exporter_prints_no_contract_series_before_the_first_check()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await BothExportersApp.StartAsync(waitForChecks: false, gate: async ct =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(ct);
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var exporter = ExpositionText.Parse(await app.ExporterAsync());
        release.SetResult();

        Assert.All(ContractFamilies.Names, f => Assert.Empty(exporter.TryGetValue(f, out var family) ? family.Samples : []));
    }

    [Fact]
    public async Task Removing_an_endpoint_removes_its_gauge_series_from_the_exporter()
    {
        await using var app = await BothExportersApp.StartAsync();

        Assert.True(await app.App.Registry.RemoveAsync("db", "::1", 5432));

        await Eventually.ValueAsync(
            async () => ExpositionText.Parse(await app.ExporterAsync()),
            exporter => Gauges.All(f => exporter[f].Samples.Count > 0 && exporter[f].Samples.All(s => s.Label("dependency") != "db")),
            "the exporter's gauges no longer show the removed endpoint");
    }

    [Fact]
    public async Task Removing_an_endpoint_leaves_its_latency_histogram_in_the_exporter_until_restart()
    {
        await using var app = await BothExportersApp.StartAsync();

        Assert.True(await app.App.Registry.RemoveAsync("db", "::1", 5432));
        await Eventually.ValueAsync(
            async () => ExpositionText.Parse(await app.ExporterAsync()),
            exporter => exporter[ContractFamilies.Health].Samples.All(s => s.Label("dependency") != "db"),
            "the exporter's gauges no longer show the removed endpoint");

        var ours = ExpositionText.Parse(await app.OursAsync());
        var exporter = ExpositionText.Parse(await app.ExporterAsync());
        Assert.DoesNotContain(ours[ContractFamilies.Latency].Samples, s => s.Label("dependency") == "db");
        Assert.Contains(exporter[ContractFamilies.Latency].Samples, s => s.Label("dependency") == "db");
    }
}
