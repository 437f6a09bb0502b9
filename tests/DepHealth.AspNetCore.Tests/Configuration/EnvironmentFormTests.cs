using DepHealth.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>The contract's DEPHEALTH_&lt;DEP&gt;_&lt;PARAM&gt; form, read only for dependencies named explicitly.</summary>
[Trait("Category", "unit")]
public sealed class EnvironmentFormTests
{
    private static DependencyHealthOptions Read(Dictionary<string, string> variables, params string[] names)
    {
        var options = new DependencyHealthOptions { Name = "app", Group = "team" };
        foreach (var name in names)
        {
            options.FromEnvironment.Add(name);
        }

        new EnvironmentDependenciesPostConfigure(v => variables.GetValueOrDefault(v), () => variables.Keys).PostConfigure(null, options);
        return options;
    }

    [Fact]
    public void Every_contract_parameter_is_read()
    {
        var options = Read(new()
        {
            ["DEPHEALTH_PAYMENTS_API_URL"] = "https://payments.svc:8443",
            ["DEPHEALTH_PAYMENTS_API_TYPE"] = "HTTP",
            ["DEPHEALTH_PAYMENTS_API_CHECK_INTERVAL"] = "30",
            ["DEPHEALTH_PAYMENTS_API_TIMEOUT"] = "2.5",
            ["DEPHEALTH_PAYMENTS_API_CRITICAL"] = "yes",
            ["DEPHEALTH_PAYMENTS_API_HEALTH_PATH"] = "/ready",
            ["DEPHEALTH_PAYMENTS_API_HOST_HEADER"] = "payments.internal",
            ["DEPHEALTH_PAYMENTS_API_GRPC_AUTHORITY"] = "payments.grpc",
            ["DEPHEALTH_PAYMENTS_API_BEARER_TOKEN"] = "token",
            ["DEPHEALTH_PAYMENTS_API_BASIC_USERNAME"] = "user",
            ["DEPHEALTH_PAYMENTS_API_BASIC_PASSWORD"] = "pass",
            ["DEPHEALTH_PAYMENTS_API_LABEL_ROLE"] = "primary",
            ["DEPHEALTH_PAYMENTS_API_LABEL_ZONE"] = "a",
        }, "PAYMENTS_API");

        var d = options.Dependencies["payments-api"];
        Assert.Empty(options.EnvironmentErrors);
        Assert.Equal(("https://payments.svc:8443", "http", true), (d.Url, d.Type, d.Critical!.Value));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2.5)), (d.CheckInterval!.Value, d.Timeout!.Value));
        Assert.Equal(("/ready", "payments.internal", "payments.grpc"), (d.HealthPath, d.HostHeader, d.GrpcAuthority));
        Assert.Equal(("token", "user", "pass"), (d.BearerToken, d.BasicUsername, d.BasicPassword));
        Assert.Equal(new Dictionary<string, string> { ["role"] = "primary", ["zone"] = "a" }, d.Labels);
    }

    [Fact]
    public void Host_port_and_critical_no_are_read_by_dependency_name_in_either_form()
    {
        var options = Read(new()
        {
            ["DEPHEALTH_CACHE_HOST"] = "redis.svc",
            ["DEPHEALTH_CACHE_PORT"] = "6380",
            ["DEPHEALTH_CACHE_TYPE"] = "tcp",
            ["DEPHEALTH_CACHE_CRITICAL"] = "no",
        }, "cache");

        var d = options.Dependencies["cache"];
        Assert.Equal(("redis.svc", 6380, false), (d.Host, d.Port!.Value, d.Critical!.Value));
    }

    [Fact]
    public void Only_named_dependencies_are_read()
    {
        var options = Read(new()
        {
            ["DEPHEALTH_NAMED_URL"] = "http://named.svc",
            ["DEPHEALTH_NAMED_CRITICAL"] = "yes",
            ["DEPHEALTH_OTHER_URL"] = "http://other.svc",
            ["DEPHEALTH_OTHER_CRITICAL"] = "yes",
        }, "named");

        Assert.Equal(["named"], options.Dependencies.Keys);
    }

    [Fact]
    public void Malformed_values_are_validation_errors_named_by_variable()
    {
        var variables = new Dictionary<string, string>
        {
            ["DEPHEALTH_PG_HOST"] = "pg.svc",
            ["DEPHEALTH_PG_TYPE"] = "tcp",
            ["DEPHEALTH_PG_PORT"] = "five",
            ["DEPHEALTH_PG_CRITICAL"] = "maybe",
            ["DEPHEALTH_PG_TIMEOUT"] = "2s",
        };
        var options = Read(variables, "pg", "missing");
        var errors = new DependencyHealthOptionsValidator(new DepHealth.AspNetCore.Checks.CheckerCatalog([])).Validate(options).Select(e => e.ToString()).ToList();

        Assert.Contains("DEPHEALTH_PG_PORT: must be a number from 1 to 65535", errors);
        Assert.Contains("DEPHEALTH_PG_CRITICAL: must be yes or no", errors);
        Assert.Contains("DEPHEALTH_PG_TIMEOUT: must be a number of seconds, for example 15 or 0.5", errors);
        Assert.Contains(errors, e => e.StartsWith("DEPHEALTH_MISSING_*: dependency 'missing' is to be read from the environment", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_values_win_over_configuration_of_the_same_dependency()
    {
        var options = new DependencyHealthOptions();
        options.Dependencies["api"] = new DependencyOptions { Url = "http://config.svc", Critical = false, HealthPath = "/health" };
        options.FromEnvironment.Add("api");
        var variables = new Dictionary<string, string> { ["DEPHEALTH_API_URL"] = "http://env.svc" };

        new EnvironmentDependenciesPostConfigure(v => variables.GetValueOrDefault(v), () => variables.Keys).PostConfigure(null, options);

        Assert.Equal(("http://env.svc", false, "/health"), (options.Dependencies["api"].Url, options.Dependencies["api"].Critical!.Value, options.Dependencies["api"].HealthPath));
    }

    [Fact]
    public async Task FromEnvironment_and_the_configuration_switch_register_the_dependencies()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var first = $"ENVA_{suffix}";
        var second = $"ENVB_{suffix}";
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        foreach (var dep in new[] { first, second })
        {
            Environment.SetEnvironmentVariable($"DEPHEALTH_{dep}_URL", $"tcp://127.0.0.1:{port}");
            Environment.SetEnvironmentVariable($"DEPHEALTH_{dep}_CRITICAL", "yes");
        }

        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["DependencyHealth:FromEnvironment:0"] = second.ToLowerInvariant().Replace('_', '-') })
                .Build();
            await using var harness = new SchedulerHarness(configuration: configuration, dependencies: b => b.FromEnvironment(first));
            await harness.StartAsync();

            Assert.Equal(
                [$"enva-{suffix.ToLowerInvariant()}", $"envb-{suffix.ToLowerInvariant()}"],
                harness.Registry.GetAll().Select(e => e.Spec.Dependency));
            Assert.All(harness.Registry.GetAll(), e => Assert.Equal(("tcp", port, true), (e.Spec.Type, e.Spec.Port, e.Spec.Critical)));
        }
        finally
        {
            foreach (var dep in new[] { first, second })
            {
                Environment.SetEnvironmentVariable($"DEPHEALTH_{dep}_URL", null);
                Environment.SetEnvironmentVariable($"DEPHEALTH_{dep}_CRITICAL", null);
            }
        }
    }

    [Fact]
    public void Invalid_environment_value_stops_startup_with_the_variable_name()
    {
        var services = new ServiceCollection();
        services.AddDependencyHealth(o => { o.Name = "app"; o.Group = "team"; }).FromEnvironment("BAD_ENV_DEP_7F3A");
        Environment.SetEnvironmentVariable("DEPHEALTH_BAD_ENV_DEP_7F3A_URL", "tcp://127.0.0.1:1");
        Environment.SetEnvironmentVariable("DEPHEALTH_BAD_ENV_DEP_7F3A_CRITICAL", "sometimes");
        try
        {
            using var provider = services.BuildServiceProvider();
            var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value);
            Assert.Contains("DEPHEALTH_BAD_ENV_DEP_7F3A_CRITICAL: must be yes or no", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DEPHEALTH_BAD_ENV_DEP_7F3A_URL", null);
            Environment.SetEnvironmentVariable("DEPHEALTH_BAD_ENV_DEP_7F3A_CRITICAL", null);
        }
    }
}
