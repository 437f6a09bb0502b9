using DepHealth.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>Configuration is validated at startup; every message names the key and the rule.</summary>
[Trait("Category", "unit")]
public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, string?> ValidBase = new()
    {
        ["DependencyHealth:Name"] = "orders-api",
        ["DependencyHealth:Group"] = "shop",
    };

    private static DependencyHealthOptions Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDependencyHealth(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
    }

    private static string FailureOf(Dictionary<string, string?> values)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(values));
        return string.Join("\n", error.Failures);
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] entries)
    {
        var values = new Dictionary<string, string?>(ValidBase);
        foreach (var (key, value) in entries)
        {
            values[key] = value;
        }

        return values;
    }

    [Fact]
    public void Valid_configuration_binds_every_documented_key()
    {
        var options = Resolve(With(
            ("DependencyHealth:CheckInterval", "00:00:30"),
            ("DependencyHealth:Timeout", "00:00:02"),
            ("DependencyHealth:InitialDelay", "00:00:01"),
            ("DependencyHealth:FailureThreshold", "3"),
            ("DependencyHealth:SuccessThreshold", "2"),
            ("DependencyHealth:MaxConcurrentChecks", "64"),
            ("DependencyHealth:Dependencies:api:Url", "https://api.svc/ready"),
            ("DependencyHealth:Dependencies:api:Critical", "true"),
            ("DependencyHealth:Dependencies:api:Method", "HEAD"),
            ("DependencyHealth:Dependencies:api:Headers:X-Env", "prod"),
            ("DependencyHealth:Dependencies:api:BearerToken", "t"),
            ("DependencyHealth:Dependencies:api:HostHeader", "api.example"),
            ("DependencyHealth:Dependencies:api:TlsSkipVerify", "true"),
            ("DependencyHealth:Dependencies:api:Labels:role", "edge"),
            ("DependencyHealth:Dependencies:api:CheckInterval", "00:01:00"),
            ("DependencyHealth:Dependencies:api:FailureThreshold", "5"),
            ("DependencyHealth:Registry:Store", "memory"),
            ("DependencyHealth:History:Size", "30"),
            ("DependencyHealth:History:FlapThreshold", "4")));

        Assert.Equal(TimeSpan.FromSeconds(30), options.CheckInterval);
        Assert.Equal(64, options.MaxConcurrentChecks);
        var api = options.Dependencies["api"];
        Assert.True(api.Critical);
        Assert.Equal("prod", api.Headers["X-Env"]);
        Assert.Equal("edge", api.Labels["role"]);
        Assert.Equal(TimeSpan.FromMinutes(1), api.CheckInterval);
        Assert.Equal(5, api.FailureThreshold);
        Assert.Equal("memory", options.Registry.Store);
        Assert.Equal(30, options.History.Size);
        Assert.Equal(4, options.History.FlapThreshold);
    }

    [Fact]
    public void Zero_dependencies_is_valid() => Assert.Empty(Resolve(With()).Dependencies);

    [Theory]
    [InlineData("DependencyHealth:Name", null, "DependencyHealth:Name: is required")]
    [InlineData("DependencyHealth:Group", null, "DependencyHealth:Group: is required")]
    [InlineData("DependencyHealth:Name", "Orders", "DependencyHealth:Name: 'Orders' must match [a-z][a-z0-9-]*")]
    [InlineData("DependencyHealth:Group", "9team", "DependencyHealth:Group: '9team' must match")]
    [InlineData("DependencyHealth:CheckInterval", "00:00:00.500", "DependencyHealth:CheckInterval: 00:00:00.5000000 is out of range: must be from 00:00:01 to 00:10:00")]
    [InlineData("DependencyHealth:Timeout", "00:00:31", "DependencyHealth:Timeout: 00:00:31 is out of range")]
    [InlineData("DependencyHealth:Timeout", "00:00:20", "DependencyHealth:Timeout: 00:00:20 must be less than CheckInterval 00:00:15")]
    [InlineData("DependencyHealth:InitialDelay", "00:06:00", "DependencyHealth:InitialDelay: 00:06:00 is out of range")]
    [InlineData("DependencyHealth:FailureThreshold", "11", "DependencyHealth:FailureThreshold: 11 is out of range: must be from 1 to 10")]
    [InlineData("DependencyHealth:SuccessThreshold", "0", "DependencyHealth:SuccessThreshold: 0 is out of range")]
    [InlineData("DependencyHealth:MaxConcurrentChecks", "0", "DependencyHealth:MaxConcurrentChecks: 0 is out of range")]
    [InlineData("DependencyHealth:History:Size", "0", "DependencyHealth:History:Size: 0 is out of range: must be from 1 to 10000")]
    [InlineData("DependencyHealth:History:FlapThreshold", "10001", "DependencyHealth:History:FlapThreshold: 10001 is out of range: must be from 1 to 10000")]
    [InlineData("DependencyHealth:Registry:Store", "redis", "DependencyHealth:Registry:Store: 'redis' is not a registered registry store: must be one of memory")]
    [InlineData("DependencyHealth:Registry:Store", "etcd", "DependencyHealth:Registry:Store: 'etcd' is not a registered registry store: must be one of memory")]
    public void Invalid_global_value_names_the_key_and_rule(string key, string? value, string message) =>
        Assert.Contains(message, FailureOf(With((key, value))), StringComparison.Ordinal);

    [Theory]
    [InlineData("Critical", null, "DependencyHealth:Dependencies:db:Critical: is required: set true or false")]
    [InlineData("Type", "smtp", "DependencyHealth:Dependencies:db:Type: no checker is registered for type 'smtp'")]
    [InlineData("Type", "SMTP", "DependencyHealth:Dependencies:db:Type: 'SMTP' is not a type")]
    [InlineData("Port", "70000", "DependencyHealth:Dependencies:db:Port: 70000 is out of range: must be 1 to 65535")]
    [InlineData("Timeout", "00:01:00", "DependencyHealth:Dependencies:db:Timeout")]
    [InlineData("Labels:host", "x", "DependencyHealth:Dependencies:db:Labels:host: label name 'host' is reserved")]
    [InlineData("Labels:bad-name", "x", "DependencyHealth:Dependencies:db:Labels:bad-name: label name must match [a-zA-Z_][a-zA-Z0-9_]*")]
    public void Invalid_dependency_value_names_the_key_and_rule(string key, string? value, string message)
    {
        var values = With(
            ("DependencyHealth:Dependencies:db:Type", "tcp"),
            ("DependencyHealth:Dependencies:db:Host", "db.svc"),
            ("DependencyHealth:Dependencies:db:Port", "5432"),
            ("DependencyHealth:Dependencies:db:Critical", "true"));
        values[$"DependencyHealth:Dependencies:db:{key}"] = value;

        Assert.Contains(message, FailureOf(values), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_dependency_name_is_rejected() =>
        Assert.Contains(
            "DependencyHealth:Dependencies:Bad_Name:Name: dependency name 'Bad_Name' must match [a-z][a-z0-9-]*",
            FailureOf(With(("DependencyHealth:Dependencies:Bad_Name:Url", "tcp://h:1"), ("DependencyHealth:Dependencies:Bad_Name:Critical", "true"))),
            StringComparison.Ordinal);

    [Fact]
    public void Duplicate_endpoint_is_rejected() =>
        Assert.Contains(
            "DependencyHealth:Dependencies:kafka:Url: endpoint kafka:b0:9092 is declared more than once",
            FailureOf(With(("DependencyHealth:Dependencies:kafka:Url", "kafka://b0:9092,b0"), ("DependencyHealth:Dependencies:kafka:Critical", "true"))),
            StringComparison.Ordinal);

    [Theory]
    [InlineData("not a url", "DependencyHealth:Dependencies:dep:Url: must be an absolute URL")]
    [InlineData("smtp://mail:25", "DependencyHealth:Dependencies:dep:Url: scheme 'smtp' is unknown")]
    [InlineData("tcp://h", "DependencyHealth:Dependencies:dep:Url: host 'h' has no port and type 'tcp' has no default port")]
    [InlineData("http://h:abc", "DependencyHealth:Dependencies:dep:Url: port of host 'h' must be a number from 1 to 65535")]
    public void Invalid_url_names_the_key_and_rule(string url, string message) =>
        Assert.Contains(message, FailureOf(With(("DependencyHealth:Dependencies:dep:Url", url), ("DependencyHealth:Dependencies:dep:Critical", "true"))), StringComparison.Ordinal);

    [Fact]
    public void Url_credentials_never_appear_in_validation_messages()
    {
        var message = FailureOf(With(("DependencyHealth:Dependencies:dep:Url", "smtp://user:hunter2-secret@mail:25"), ("DependencyHealth:Dependencies:dep:Critical", "true")));

        Assert.DoesNotContain("hunter2-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_address_is_rejected() =>
        Assert.Contains(
            "DependencyHealth:Dependencies:dep:Url: is required: give Url, or Host and Port, or ConnectionString",
            FailureOf(With(("DependencyHealth:Dependencies:dep:Critical", "true"))),
            StringComparison.Ordinal);

    [Fact]
    public void Name_and_group_fall_back_to_the_environment_when_not_set()
    {
        var options = new DependencyHealthOptions();
        var environment = new Dictionary<string, string?> { ["DEPHEALTH_NAME"] = "from-env", ["DEPHEALTH_GROUP"] = "env-group" };

        new EnvironmentNamePostConfigure(k => environment.GetValueOrDefault(k)).PostConfigure(null, options);

        Assert.Equal("from-env", options.Name);
        Assert.Equal("env-group", options.Group);
    }

    [Fact]
    public void Explicit_name_wins_over_the_environment()
    {
        var options = new DependencyHealthOptions { Name = "explicit" };

        new EnvironmentNamePostConfigure(_ => "from-env").PostConfigure(null, options);

        Assert.Equal("explicit", options.Name);
    }

    [Fact]
    public async Task Invalid_configuration_fails_host_startup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DependencyHealth:Group"] = "shop" });
        builder.Services.AddDependencyHealth(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DependencyHealth:Name: is required", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }
}
