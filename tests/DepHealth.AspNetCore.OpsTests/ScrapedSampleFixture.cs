using System.Text.Json;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>The sample running on Kestrel, scraped every second by a real Prometheus that also loads alerts.yml.</summary>
public sealed class ScrapedSampleFixture : IAsyncLifetime
{
    public const string Job = "dephealth-sample";

    private SampleApp? _sample;
    private PrometheusServer? _prometheus;

    public SampleApp Sample => _sample ?? throw new InvalidOperationException("not started");

    public PrometheusServer Prometheus => _prometheus ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _sample = await SampleApp.StartAsync();
        _prometheus = await PrometheusServer.StartAsync(Job, $"127.0.0.1:{_sample.Port}", [Repo.PathOf("samples", "prometheus", "alerts.yml")]);
        // Every endpoint of the sample has been checked and scraped at least once.
        await Eventually.ValueAsync(
            () => _prometheus.QueryAsync($"count(app_dependency_health{{job=\"{Job}\"}})"),
            r => r.GetProperty("data").GetProperty("result").EnumerateArray().Any(s => s.GetProperty("value")[1].GetString() == "3"),
            "Prometheus has scraped the sample's three endpoints",
            TimeSpan.FromSeconds(60));

        // The sample's checks start before its server listens (hosted services start first), so it reports itself
        // unhealthy until its first check after Kestrel has bound, up to a check interval after it answers; a scrape in
        // that window counts as one of the three endpoints. Wait until Prometheus has scraped the self-checks healthy.
        await Eventually.ValueAsync(
            () => _prometheus.QueryAsync($"count(app_dependency_health{{job=\"{Job}\",dependency=~\"self-.*\"}} == 1)"),
            r => r.GetProperty("data").GetProperty("result").EnumerateArray().Any(s => s.GetProperty("value")[1].GetString() == "2"),
            "Prometheus has scraped the sample's self-checks healthy",
            TimeSpan.FromSeconds(60));
    }

    public static JsonElement[] Series(JsonElement response)
    {
        Assert.True(response.GetProperty("status").GetString() == "success", response.ToString());
        return [.. response.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }
}
