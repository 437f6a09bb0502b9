using System.Text.Json;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// The sample monitors itself wherever it listens: started on a port the system picks, it checks itself on that port
/// and becomes ready. (That readiness waits for those checks: tests/DepHealth.AspNetCore.Tests/Sample.)
/// </summary>
[Trait("Category", "integration")]
public sealed class SampleSelfMonitoringTests
{
    private static readonly string[] SelfDependencies = ["self-http", "self-tcp"];

    private static async Task<Dictionary<string, JsonElement>> DetailsAsync(SampleApp sample)
    {
        var (_, body) = await sample.GetAsync("health/details");
        using var details = JsonDocument.Parse(body);
        return details.RootElement.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.Clone());
    }

    [Fact]
    public async Task Sample_on_a_port_the_system_picks_becomes_ready()
    {
        await using var sample = await SampleApp.StartAsync();

        var ready = await Eventually.ValueAsync(() => sample.GetAsync("health/ready"), r => r.Status == 200, "the sample is ready", TimeSpan.FromSeconds(60));

        Assert.Equal("""{"status":"healthy"}""", ready.Body);
    }

    [Fact]
    public async Task Sample_checks_itself_healthy_on_the_port_it_listens_on()
    {
        await using var sample = await SampleApp.StartAsync();

        var self = await Eventually.ValueAsync(
            async () => (await DetailsAsync(sample)).Where(e => SelfDependencies.Contains(e.Value.GetProperty("name").GetString())).ToList(),
            endpoints => endpoints.Count == 2 && endpoints.All(e => e.Value.GetProperty("healthy").ValueKind == JsonValueKind.True),
            "the sample's self endpoints are healthy",
            TimeSpan.FromSeconds(60));

        Assert.Equal([$"self-http:127.0.0.1:{sample.Port}", $"self-tcp:127.0.0.1:{sample.Port}"], self.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(self, e => Assert.True(e.Value.GetProperty("critical").GetBoolean()));
    }
}
