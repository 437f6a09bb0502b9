using Microsoft.Extensions.Configuration;
using static DepHealth.AspNetCore.Tests.Configuration.ReloadTestKit;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>A dependencies file added with AddDependencyHealthJsonFile, edited on disk while the application runs.</summary>
[Trait("Category", "unit")]
public sealed class ReloadFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dephealth-reload-").FullName;

    private string FilePath => Path.Combine(_directory, "dependencies.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Json(params (string Name, int Port)[] dependencies) =>
        "{\"DependencyHealth\":{\"Reload\":{\"Debounce\":\"00:00:02\",\"MinInterval\":\"00:00:10\"},\"Dependencies\":{"
        + string.Join(",", dependencies.Select(d => $"\"{d.Name}\":{{\"Type\":\"tcp\",\"Host\":\"127.0.0.1\",\"Port\":{d.Port},\"Critical\":false}}"))
        + "}}}";

    private (SchedulerHarness Harness, IConfigurationRoot Configuration) Start(string json)
    {
        File.WriteAllText(FilePath, json);
        var configuration = new ConfigurationBuilder().AddDependencyHealthJsonFile(FilePath).Build();
        var harness = new SchedulerHarness(configuration: configuration, dependencies: b => b.Services.AddSingleton<IDependencyCheckerFactory>(new ControlledCheckerFactory()));
        return (harness, configuration);
    }

    /// <summary>Writes the file and waits until the reloader heard of it and waits on its timer.</summary>
    private Task WriteAsync(SchedulerHarness harness, IConfiguration configuration, string json, string key, string expected) =>
        WriteAsync(harness, json, () => configuration[key] == expected, $"the file provider read {key} = {expected}");

    private async Task WriteAsync(SchedulerHarness harness, string json, Func<bool> loaded, string because)
    {
        var signals = harness.Reloader.Signals;
        await File.WriteAllTextAsync(FilePath, json);
        await Eventually.TrueAsync(loaded, because);
        await ParkedAsync(harness, signals);
    }

    [Fact]
    public async Task Burst_of_writes_is_one_reload_of_the_last_content()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        for (var i = 0; i < 5; i++)
        {
            await WriteAsync(harness, configuration, Json(("a", 1001), ($"b{i}", 1100 + i)), $"DependencyHealth:Dependencies:b{i}:Port", (1100 + i).ToString());
            harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(1, harness.Reloader.Cycles);
        harness.Time.Advance(Debounce);
        await Eventually.TrueAsync(() => harness.Reloader.Cycles == 2, "the burst is reloaded");
        harness.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, harness.ReloadMetrics.Successes);
        Assert.Equal(["a", "b4"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
    }

    [Fact]
    public async Task Write_inside_the_minimum_interval_is_applied_when_it_ends()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        await WriteAsync(harness, configuration, Json(("a", 1001), ("b", 1002)), "DependencyHealth:Dependencies:b:Port", "1002");
        harness.Time.Advance(Debounce);
        await Eventually.TrueAsync(() => Registered(harness, "b", 1002), "b is registered");

        await WriteAsync(harness, configuration, Json(("a", 1001), ("b", 1002), ("c", 1003)), "DependencyHealth:Dependencies:c:Port", "1003");
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        var earlyRegistered = Registered(harness, "c", 1003);
        await Eventually.TrueAsync(() => harness.Reloader.IsWaiting, "the reload waits for the minimum interval");
        harness.Time.Advance(TimeSpan.FromSeconds(6));
        await Eventually.TrueAsync(() => Registered(harness, "c", 1003), "c is registered when the interval ends");

        Assert.False(earlyRegistered);
        Assert.Equal(2, harness.ReloadMetrics.Successes);
    }

    [Fact]
    public async Task Invalid_json_keeps_the_previous_configuration_and_is_counted()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        var errorKey = $"DependencyHealth:SourceErrors:{FilePath.Replace(':', '_')}";
        await WriteAsync(harness, "{ \"DependencyHealth\": { \"Dependencies\": { \"b\": ", () => configuration[errorKey] is not null, "the file provider read the invalid file");
        harness.Time.Advance(Debounce);
        await Eventually.TrueAsync(() => harness.ReloadMetrics.Failures == 1, "the invalid file is a failed reload");

        Assert.Equal(["a"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
        Assert.Equal("1001", configuration["DependencyHealth:Dependencies:a:Port"]);
        var failure = Assert.Single(harness.Logs.WithEventId(4002)).Message;
        Assert.Contains(errorKey + ": the file is not valid JSON", failure, StringComparison.Ordinal);

        await WriteAsync(harness, configuration, Json(("a", 1001), ("b", 1002)), "DependencyHealth:Dependencies:b:Port", "1002");
        harness.Time.Advance(MinInterval);
        await Eventually.TrueAsync(() => Registered(harness, "b", 1002), "the fixed file is applied");
        Assert.Null(configuration[errorKey]);
        Assert.Equal(1, harness.ReloadMetrics.Successes);
    }
}
