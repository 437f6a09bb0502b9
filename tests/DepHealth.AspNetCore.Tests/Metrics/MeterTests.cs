using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DepHealth.AspNetCore.Telemetry;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>The same measurements are published on the meter <c>DepHealth.AspNetCore</c> for OpenTelemetry.</summary>
[Trait("Category", "unit")]
public sealed class MeterTests
{
    private sealed record Measured(string Instrument, double Value, Dictionary<string, string?> Tags);

    private static MeterListener Listen(ConcurrentQueue<Measured> measurements, Meter? only = null)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Tests in parallel have meters of the same name: one whose instruments carry no endpoint is told apart by reference.
                if (instrument.Meter.Name == "DepHealth.AspNetCore" && (only is null || ReferenceEquals(instrument.Meter, only)))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue(new(i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue(new(i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue(new(i.Name, v, ToDictionary(tags))));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, string?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }

    [Fact]
    public async Task Check_latency_health_status_and_detail_are_published_with_the_contract_labels()
    {
        var measurements = new ConcurrentQueue<Measured>();
        using var listener = Listen(measurements);
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("meter-dep", checker: new ScriptedChecker(harness.Time).ThenFail(CheckDetails.AuthError)));
        await harness.WaitForChecksAsync("meter-dep", "127.0.0.1", 8080, 1);

        // The latency is measured after the result is stored, which is what the wait above sees.
        await Eventually.TrueAsync(
            () => measurements.Any(m => m.Instrument == "app_dependency_latency_seconds" && m.Tags.GetValueOrDefault("dependency") == "meter-dep"),
            "the check's latency is measured");
        listener.RecordObservableInstruments();

        var mine = measurements.Where(m => m.Tags.GetValueOrDefault("dependency") == "meter-dep").ToList();
        var latency = Assert.Single(mine, m => m.Instrument == "app_dependency_latency_seconds");
        Assert.Equal("app", latency.Tags["name"]);
        Assert.Equal("team", latency.Tags["group"]);
        Assert.Equal("tcp", latency.Tags["type"]);
        Assert.Equal("8080", latency.Tags["port"]);
        Assert.Equal("yes", latency.Tags["critical"]);
        Assert.Equal(0, Assert.Single(mine, m => m.Instrument == "app_dependency_health").Value);
        var statuses = mine.Where(m => m.Instrument == "app_dependency_status").ToList();
        Assert.Equal(8, statuses.Count);
        Assert.Equal("auth_error", Assert.Single(statuses, s => s.Value == 1).Tags["status"]);
        Assert.Equal("auth_error", Assert.Single(mine, m => m.Instrument == "app_dependency_status_detail").Tags["detail"]);
    }

    [Fact]
    public async Task Removed_endpoint_is_no_longer_observed()
    {
        var measurements = new ConcurrentQueue<Measured>();
        using var listener = Listen(measurements);
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("meter-gone", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("meter-gone", "127.0.0.1", 8080, 1);
        await harness.Registry.RemoveAsync("meter-gone", "127.0.0.1", 8080);
        measurements.Clear();

        listener.RecordObservableInstruments();

        Assert.DoesNotContain(measurements, m => m.Tags.GetValueOrDefault("dependency") == "meter-gone");
    }

    [Fact]
    public async Task Registry_changes_are_observed_as_the_count_the_exposition_prints()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var measurements = new ConcurrentQueue<Measured>();
        using var listener = Listen(measurements, harness.Services.GetRequiredService<DependencyHealthMeter>().Meter);
        await harness.Registry.AddAsync(SchedulerHarness.Spec("first", checker: new ScriptedChecker(harness.Time)));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("second", checker: new ScriptedChecker(harness.Time)));

        listener.RecordObservableInstruments();

        var added = Assert.Single(measurements, m => m.Instrument == "app_dependency_registry_changes" && m.Tags["operation"] == "add" && m.Tags["result"] == "success");
        Assert.Equal(2, added.Value);
        Assert.Contains("app_dependency_registry_changes_total{operation=\"add\",result=\"success\"} 2\n", harness.RenderMetrics(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_reloads_are_observed_as_the_counts_the_exposition_prints()
    {
        await using var harness = new SchedulerHarness();
        var measurements = new ConcurrentQueue<Measured>();
        using var listener = Listen(measurements, harness.Services.GetRequiredService<DependencyHealthMeter>().Meter);
        harness.ReloadMetrics.Record(success: true, 0.01);
        harness.ReloadMetrics.Record(success: true, 0.01);
        harness.ReloadMetrics.Record(success: false, 0.01);

        listener.RecordObservableInstruments();

        var reloads = measurements.Where(m => m.Instrument == "app_dependency_config_reloads").ToDictionary(m => m.Tags["result"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["success"] = 2, ["failure"] = 1 }, reloads);
        Assert.Contains("app_dependency_config_reloads_total{result=\"failure\"} 1\napp_dependency_config_reloads_total{result=\"success\"} 2\n", harness.RenderMetrics(), StringComparison.Ordinal);
    }
}
