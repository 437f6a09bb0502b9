using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
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

    private string ErrorKey => $"DependencyHealth:SourceErrors:{FilePath.Replace(':', '_')}";

    private (SchedulerHarness Harness, IConfigurationRoot Configuration) Start(string json)
    {
        File.WriteAllText(FilePath, json);
        return Build();
    }

    private (SchedulerHarness Harness, IConfigurationRoot Configuration) Build()
    {
        var configuration = new ConfigurationBuilder().AddDependencyHealthJsonFile(FilePath).Build();
        var harness = new SchedulerHarness(configuration: configuration, dependencies: b => b.Services.AddSingleton<IDependencyCheckerFactory>(new ControlledCheckerFactory()));
        return (harness, configuration);
    }

    /// <summary>Writes the file and waits until the reloader heard of it and waits on its timer.</summary>
    private Task WriteAsync(SchedulerHarness harness, IConfiguration configuration, string json, string key, string expected) =>
        WriteAsync(harness, json, () => configuration[key] == expected, $"the file provider read {key} = {expected}");

    private Task WriteAsync(SchedulerHarness harness, string json, Func<bool> loaded, string because) =>
        ChangeAsync(harness, () => File.WriteAllText(FilePath, json), loaded, because);

    /// <summary>Changes the file on disk, waits until the file provider read it and the reloader waits on its timer.</summary>
    private static async Task ChangeAsync(SchedulerHarness harness, Action change, Func<bool> loaded, string because)
    {
        var signals = harness.Reloader.Signals;
        change();
        await Eventually.TrueAsync(loaded, because);
        await ParkedAsync(harness, signals);
    }

    /// <summary>Lets the waiting reload run and waits until it is done.</summary>
    private static async Task ReloadAsync(SchedulerHarness harness, TimeSpan advance)
    {
        var cycles = harness.Reloader.Cycles;
        harness.Time.Advance(advance);
        await Eventually.TrueAsync(() => harness.Reloader.Cycles > cycles, "the change is reloaded");
    }

    /// <summary>True once the provider no longer serves the file's content as it was (the old provider) or reports it (this one).</summary>
    private static Func<bool> Noticed(IConfiguration configuration, string errorKey) =>
        () => configuration["DependencyHealth:Dependencies:a:Port"] is null || configuration[errorKey] is not null;

    /// <summary>The file's disappearance or emptiness was one failed reload that kept <c>a</c>, and was logged once naming why.</summary>
    private void AssertKeptAsOneFailure(SchedulerHarness harness, IConfiguration configuration, string reason)
    {
        Assert.Equal(["a"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
        Assert.Equal(1, harness.ReloadMetrics.Failures);
        Assert.Equal(0, harness.ReloadMetrics.Successes);
        Assert.Equal("1001", configuration["DependencyHealth:Dependencies:a:Port"]);
        var failure = Assert.Single(harness.Logs.WithEventId(4002)).Message;
        Assert.Contains($"{ErrorKey}: {reason}", failure, StringComparison.Ordinal);
    }

    private static EndpointEntry Entry(SchedulerHarness harness) =>
        harness.Store.TryGet(new EndpointKey("a", "127.0.0.1", 1001), out var entry) ? entry : throw new InvalidOperationException("a is not registered");

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

        var errorKey = ErrorKey;
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

    [Fact]
    public async Task Deleted_file_keeps_the_previous_configuration_and_is_one_counted_failure()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        await ChangeAsync(harness, () => File.Delete(FilePath), Noticed(configuration, ErrorKey), "the file provider noticed the deletion");
        await ReloadAsync(harness, Debounce);

        AssertKeptAsOneFailure(harness, configuration, "the file is missing");
    }

    [Fact]
    public async Task Emptied_file_keeps_the_previous_configuration_and_is_one_counted_failure()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        await ChangeAsync(harness, () => File.WriteAllText(FilePath, string.Empty), Noticed(configuration, ErrorKey), "the file provider read the empty file");
        await ReloadAsync(harness, Debounce);

        AssertKeptAsOneFailure(harness, configuration, "the file is empty");
    }

    [Fact]
    public async Task Whitespace_only_file_keeps_the_previous_configuration_and_is_one_counted_failure()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        await ChangeAsync(harness, () => File.WriteAllText(FilePath, " \r\n\t \n"), Noticed(configuration, ErrorKey), "the file provider read the blank file");
        await ReloadAsync(harness, Debounce);

        AssertKeptAsOneFailure(harness, configuration, "the file is empty");
    }

    [Fact]
    public async Task Deleted_file_that_comes_back_valid_is_applied()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);
        var before = Entry(harness);
        await ChangeAsync(harness, () => File.Delete(FilePath), Noticed(configuration, ErrorKey), "the file provider noticed the deletion");
        await ReloadAsync(harness, Debounce);

        await WriteAsync(harness, configuration, Json(("a", 1001), ("b", 1002)), "DependencyHealth:Dependencies:b:Port", "1002");
        await ReloadAsync(harness, MinInterval);

        Assert.True(Registered(harness, "b", 1002));
        Assert.Same(before, Entry(harness));
        Assert.Null(configuration[ErrorKey]);
        Assert.Equal(1, harness.ReloadMetrics.Failures);
        Assert.Equal(1, harness.ReloadMetrics.Successes);
    }

    [Fact]
    public async Task File_renamed_away_and_back_by_an_atomic_save_never_loses_its_dependencies()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);
        var before = Entry(harness);
        var backup = FilePath + "~";

        await ChangeAsync(harness, () => File.Move(FilePath, backup), Noticed(configuration, ErrorKey), "the file provider noticed the rename");
        await ReloadAsync(harness, Debounce);
        var whileAway = harness.Registry.GetAll().Select(e => e.Spec.Dependency).ToList();
        await ChangeAsync(harness, () => File.Move(backup, FilePath), () => configuration[ErrorKey] is null && configuration["DependencyHealth:Dependencies:a:Port"] == "1001", "the file provider read the file again");
        await ReloadAsync(harness, MinInterval);

        Assert.Equal(["a"], whileAway);
        Assert.Same(before, Entry(harness));
        Assert.Equal(1, harness.ReloadMetrics.Failures);
        Assert.Equal(1, harness.ReloadMetrics.Successes);
        Assert.Null(configuration[ErrorKey]);
    }

    [Fact]
    public async Task Empty_object_written_on_purpose_removes_every_dependency()
    {
        var (harness, configuration) = Start(Json(("a", 1001)));
        await using var _ = harness;
        await StartAsync(harness);

        await WriteAsync(harness, "{}", () => configuration["DependencyHealth:Dependencies:a:Port"] is null, "the file provider read {}");
        await ReloadAsync(harness, Debounce);

        Assert.Empty(harness.Registry.GetAll());
        Assert.Equal(1, harness.ReloadMetrics.Successes);
        Assert.Equal(0, harness.ReloadMetrics.Failures);
    }

    [Fact]
    public async Task Optional_file_missing_at_startup_is_empty_and_applies_when_it_appears()
    {
        var (harness, configuration) = Build();
        await using var _ = harness;
        await StartAsync(harness);
        var atStartup = harness.Registry.GetAll().Count;

        await WriteAsync(harness, configuration, Json(("a", 1001)), "DependencyHealth:Dependencies:a:Port", "1001");
        await ReloadAsync(harness, Debounce);

        Assert.Equal(0, atStartup);
        Assert.True(Registered(harness, "a", 1001));
        Assert.Null(configuration[ErrorKey]);
    }

    [Fact]
    public async Task Empty_file_at_startup_stops_the_application_naming_the_file()
    {
        var (harness, _) = Start(string.Empty);
        await using var __ = harness;

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(harness.StartAsync);

        Assert.Contains($"{ErrorKey}: the file is empty", failure.Message, StringComparison.Ordinal);
    }
}
