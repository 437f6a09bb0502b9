using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>Secrets given in configuration: never in the startup error, nor in the logs of a reload that applies or rejects them.</summary>
[Trait("Category", "unit")]
public sealed class SecretConfigurationScanTests
{
    private static readonly string[] Secrets =
    [
        "cfg-S3CRET-41", "cfg-S3CRET-42", "cfg-S3CRET-43", "cfg-S3CRET-44", "cfg-S3CRET-45", "cfg-S3CRET-46", "cfg-S3CRET-47",
        "cfg-S3CRET-48", "cfg-S3CRET-49",
    ];

    private static TestConfigurationSource WithSecrets(TestConfigurationSource source, string name)
    {
        var prefix = $"DependencyHealth:Dependencies:{name}";
        return source
            .Set($"{prefix}:Type", "tcp")
            .Set($"{prefix}:Url", "amqp://guest:cfg-S3CRET-41#x@127.0.0.1:5672/?token=cfg-S3CRET-42")
            .Set($"{prefix}:Critical", "false")
            .Set($"{prefix}:HealthPath", "/health?api_key=cfg-S3CRET-43")
            .Set($"{prefix}:Headers:X-Api-Key", "cfg-S3CRET-44")
            .Set($"{prefix}:Headers:Cookie", "sid=cfg-S3CRET-45")
            .Set($"{prefix}:BasicUsername", "svc")
            .Set($"{prefix}:BasicPassword", "cfg-S3CRET-46")
            .Set($"{prefix}:Metadata:authorization", "Bearer cfg-S3CRET-47");
    }

    [Fact]
    public void A_secret_in_a_value_that_cannot_be_converted_is_not_in_the_startup_error()
    {
        var configuration = WithSecrets(new TestConfigurationSource(), "cfg")
            .Set("DependencyHealth:Dependencies:cfg:TlsSkipVerify", "cfg-S3CRET-48")
            .BuildConfiguration();
        var services = new ServiceCollection().AddLogging();
        services.AddDependencyHealth(configuration, o => (o.Name, o.Group) = ("app", "team"));
        using var provider = services.BuildServiceProvider();

        var error = Record.Exception(() => provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value);

        Assert.NotNull(error);
        Assert.Contains("DependencyHealth:Dependencies:cfg:TlsSkipVerify", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3CRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_dependency_with_secrets_is_reported_at_startup_without_them()
    {
        var configuration = WithSecrets(new TestConfigurationSource(), "cfg")
            .Set("DependencyHealth:Dependencies:cfg:Url", "http://tok3n-cfg-S3CRET-49@mail.svc:port/?password=cfg-S3CRET-42")
            .BuildConfiguration();
        var services = new ServiceCollection().AddLogging();
        services.AddDependencyHealth(configuration, o => (o.Name, o.Group) = ("app", "team"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value);

        Assert.Contains("DependencyHealth:Dependencies:cfg", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3CRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reloads_that_apply_or_reject_secrets_log_none_of_them()
    {
        var source = ReloadTestKit.Source(("base", 7001, false, null));
        await using var harness = ReloadTestKit.Harness(source);
        await ReloadTestKit.StartAsync(harness);

        WithSecrets(source, "cfg");
        await ReloadTestKit.ReloadAsync(harness, source, ReloadTestKit.MinInterval);
        Assert.True(ReloadTestKit.Registered(harness, "cfg", 5672), harness.Logs.AllText());
        source.Set("DependencyHealth:Dependencies:cfg:TlsSkipVerify", "cfg-S3CRET-48");
        await ReloadTestKit.ReloadAsync(harness, source, ReloadTestKit.MinInterval);
        source.Set("DependencyHealth:Dependencies:cfg:TlsSkipVerify", null).Set("DependencyHealth:Dependencies:cfg:Url", "http://tok3n-cfg-S3CRET-49@mail.svc:port");
        await ReloadTestKit.ReloadAsync(harness, source, ReloadTestKit.MinInterval);

        Assert.Equal(2, harness.Logs.WithEventId(4002).Count);
        Assert.NotEmpty(harness.Logs.WithEventId(4001));
        var logs = harness.Logs.AllText();
        var leaked = Secrets.Where(s => logs.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"leaked {string.Join(", ", leaked)} in:\n{logs}");
    }
}
