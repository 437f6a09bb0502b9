using System.Collections.Frozen;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>IEndpointRegistry semantics: idempotent add/remove, not-found update, validation that changes nothing, blue-green update.</summary>
[Trait("Category", "unit")]
public sealed class EndpointRegistryTests
{
    [Fact]
    public async Task Adding_an_identical_spec_twice_is_idempotent()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time);
        var spec = SchedulerHarness.Spec(checker: checker);

        Assert.True(await harness.Registry.AddAsync(spec));
        Assert.False(await harness.Registry.AddAsync(spec));

        Assert.Single(harness.Registry.GetAll());
    }

    [Fact]
    public async Task Adding_the_same_key_with_a_different_spec_is_a_conflict_and_changes_nothing()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec(critical: true, type: "tcp"));

        await Assert.ThrowsAsync<EndpointConflictException>(() => harness.Registry.AddAsync(SchedulerHarness.Spec(critical: false, type: "tcp")));

        Assert.True(Assert.Single(harness.Registry.GetAll()).Spec.Critical);
    }

    [Fact]
    public async Task Removing_a_missing_endpoint_is_idempotent()
    {
        await using var harness = new SchedulerHarness();

        Assert.False(await harness.Registry.RemoveAsync("nothing", "h", 1));
    }

    [Fact]
    public async Task Updating_a_missing_endpoint_throws_not_found()
    {
        await using var harness = new SchedulerHarness();

        var error = await Assert.ThrowsAsync<EndpointNotFoundException>(() =>
            harness.Registry.UpdateAsync("nothing", "h", 1, SchedulerHarness.Spec()));

        Assert.Equal(new EndpointKey("nothing", "h", 1), error.Key);
    }

    [Theory]
    [InlineData("Dependency", "Bad-Name")]
    [InlineData("Dependency", "1leading-digit")]
    [InlineData("Port", "0")]
    [InlineData("Port", "65536")]
    [InlineData("Type", "smtp")]
    [InlineData("Host", "")]
    [InlineData("Host", "[::1]")]
    public async Task Invalid_spec_names_the_field_and_changes_nothing(string field, string value)
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("existing"));
        var spec = SchedulerHarness.Spec() with { };
        spec = field switch
        {
            "Dependency" => spec with { Dependency = value },
            "Port" => spec with { Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            "Type" => spec with { Type = value },
            _ => spec with { Host = value },
        };

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(spec));

        Assert.Contains(error.Errors, e => e.Field == field);
        Assert.Equal(["existing"], harness.Registry.GetAll().Select(e => e.Spec.Dependency));
    }

    [Fact]
    public async Task Dependency_name_longer_than_63_characters_is_rejected()
    {
        await using var harness = new SchedulerHarness();

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() =>
            harness.Registry.AddAsync(SchedulerHarness.Spec(new string('a', 64))));

        Assert.Contains("1 to 63 characters", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host", "reserved")]
    [InlineData("critical", "reserved")]
    [InlineData("status", "reserved")]
    [InlineData("1abc", "[a-zA-Z_][a-zA-Z0-9_]*")]
    [InlineData("with-dash", "[a-zA-Z_][a-zA-Z0-9_]*")]
    public async Task Reserved_or_malformed_label_names_are_rejected(string label, string rule)
    {
        await using var harness = new SchedulerHarness();
        var spec = SchedulerHarness.Spec() with { Labels = new Dictionary<string, string> { [label] = "v" }.ToFrozenDictionary() };

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(spec));

        var problem = Assert.Single(error.Errors);
        Assert.Equal($"Labels:{label}", problem.Field);
        Assert.Contains(rule, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_not_below_interval_is_rejected()
    {
        await using var harness = new SchedulerHarness();
        var spec = SchedulerHarness.Spec() with { CheckInterval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(5) };

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(spec));

        Assert.Contains(error.Errors, e => e.Field == "Timeout" && e.Message.Contains("less than CheckInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_not_given_inherit_the_global_options()
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.CheckInterval = TimeSpan.FromSeconds(30);
            o.FailureThreshold = 3;
        });

        await harness.Registry.AddAsync(SchedulerHarness.Spec() with { SuccessThreshold = 2 });

        var settings = Assert.Single(harness.Registry.GetAll()).Settings;
        Assert.Equal(new CheckSettings(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.Zero, 3, 2), settings);
    }

    [Fact]
    public async Task Type_without_a_registered_checker_is_refused_naming_the_type()
    {
        await using var harness = new SchedulerHarness();

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() =>
            harness.Registry.AddAsync(new EndpointSpec { Dependency = "db", Type = "postgres", Host = "pg", Port = 5432, Critical = true }));

        Assert.Contains("no checker is registered for type 'postgres'", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_starts_the_new_endpoint_then_removes_the_old_one_and_its_series()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("svc", "old-host", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("svc", "old-host", 8080, 1);

        await harness.Registry.UpdateAsync("svc", "old-host", 8080, SchedulerHarness.Spec("svc", "new-host", checker: new ScriptedChecker(harness.Time)));
        await harness.WaitForChecksAsync("svc", "new-host", 8080, 1);

        Assert.Equal(["new-host"], harness.Registry.GetAll().Select(e => e.Spec.Host));
        var metrics = harness.RenderMetrics();
        Assert.DoesNotContain("old-host", metrics, StringComparison.Ordinal);
        Assert.Contains("host=\"new-host\"", metrics, StringComparison.Ordinal);
        Assert.Equal(1, harness.Statistics.RunningLoops);
    }

    [Fact]
    public async Task Update_whose_new_checker_cannot_be_created_leaves_the_old_endpoint_running()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var oldChecker = new ScriptedChecker(harness.Time);
        await harness.Registry.AddAsync(SchedulerHarness.Spec("svc", "old-host", checker: oldChecker));
        await harness.WaitForChecksAsync("svc", "old-host", 8080, 1);
        var broken = SchedulerHarness.Spec("svc", "new-host") with { CheckerFactory = _ => throw new InvalidOperationException("driver missing") };

        await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.UpdateAsync("svc", "old-host", 8080, broken));

        Assert.Equal(["old-host"], harness.Registry.GetAll().Select(e => e.Spec.Host));
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync("svc", "old-host", 8080, 2);
        Assert.Equal(1, harness.Statistics.RunningLoops);
    }

    [Fact]
    public async Task Update_onto_another_endpoints_key_is_a_conflict()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("svc", "a"));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("svc", "b"));

        await Assert.ThrowsAsync<EndpointConflictException>(() => harness.Registry.UpdateAsync("svc", "a", 8080, SchedulerHarness.Spec("svc", "b", critical: false)));

        Assert.Equal(2, harness.Registry.GetAll().Count);
    }

    [Fact]
    public async Task Every_change_is_counted_and_audited()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("audited"));
        await harness.Registry.AddAsync(SchedulerHarness.Spec("audited"));
        await harness.Registry.RemoveAsync("audited", "127.0.0.1", 8080);
        await Assert.ThrowsAsync<EndpointNotFoundException>(() => harness.Registry.UpdateAsync("audited", "127.0.0.1", 8080, SchedulerHarness.Spec("audited")));

        var metrics = harness.RenderMetrics();
        Assert.Contains("app_dependency_registry_changes_total{operation=\"add\",result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("app_dependency_registry_changes_total{operation=\"add\",result=\"unchanged\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("app_dependency_registry_changes_total{operation=\"remove\",result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("app_dependency_registry_changes_total{operation=\"update\",result=\"not_found\"} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(3, harness.Logs.WithEventId(2001).Count);
        Assert.Single(harness.Logs.WithEventId(2002));
        Assert.Contains("audited:127.0.0.1:8080", harness.Logs.WithEventId(2001)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryGet_finds_registered_endpoints_only()
    {
        await using var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(SchedulerHarness.Spec("found"));

        Assert.True(harness.Registry.TryGet(new EndpointKey("found", "127.0.0.1", 8080), out var endpoint));
        Assert.Equal(EndpointSource.Runtime, endpoint.Source);
        Assert.False(harness.Registry.TryGet(new EndpointKey("missing", "127.0.0.1", 8080), out _));
    }

    [Fact]
    public async Task Labels_and_options_the_application_changes_after_adding_change_nothing_registered()
    {
        await using var harness = new SchedulerHarness();
        var checker = new ScriptedChecker(harness.Time);
        await harness.StartAsync();
        var labels = new Dictionary<string, string> { ["role"] = "primary" };
        var options = new Dictionary<string, string> { ["tls"] = "false" };
        await harness.Registry.AddAsync(SchedulerHarness.Spec("copied", checker: checker) with { Labels = labels, Options = options });
        await harness.WaitForChecksAsync("copied", "127.0.0.1", 8080, 1);

        labels["role"] = "replica";
        labels["__bad"] = "x";
        options.Clear();

        var spec = Assert.Single(harness.Registry.GetAll()).Spec;
        Assert.Equal("primary", Assert.Single(spec.Labels).Value);
        Assert.Equal("false", spec.GetOption("TLS"));
        Assert.Contains("role=\"primary\"", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.False(await harness.Registry.AddAsync(SchedulerHarness.Spec("copied", checker: checker) with { Labels = new Dictionary<string, string> { ["role"] = "primary" }, Options = new Dictionary<string, string> { ["tls"] = "false" } }));
    }

    [Fact]
    public async Task Null_labels_and_options_are_registered_as_empty()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();

        await harness.Registry.AddAsync(SchedulerHarness.Spec("bare", checker: new ScriptedChecker(harness.Time)) with { Labels = null!, Options = null! });
        await harness.WaitForChecksAsync("bare", "127.0.0.1", 8080, 1);

        var spec = Assert.Single(harness.Registry.GetAll()).Spec;
        Assert.Empty(spec.Labels);
        Assert.Empty(spec.Options);
        Assert.Contains("dependency=\"bare\"", harness.RenderMetrics(), StringComparison.Ordinal);
    }
}
