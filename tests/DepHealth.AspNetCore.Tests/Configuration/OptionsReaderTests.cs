using DepHealth.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>A reload reads the options with their errors as key and rule, never by parsing the startup message text.</summary>
[Trait("Category", "unit")]
public sealed class OptionsReaderTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["DependencyHealth:Name"] = "orders-api",
        ["DependencyHealth:Group"] = "shop",
        ["DependencyHealth:Dependencies:db:Type"] = "tcp",
        ["DependencyHealth:Dependencies:db:Host"] = "db.svc",
        ["DependencyHealth:Dependencies:db:Port"] = "5432",
        ["DependencyHealth:Dependencies:db:Critical"] = "true",
    };

    private static ServiceProvider Services(Dictionary<string, string?> values, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDependencyHealth(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> With(string key, string value) => new(Valid) { [key] = value };

    [Fact]
    public void A_valid_configuration_reads_without_errors()
    {
        using var services = Services(Valid);
        var errors = new List<EndpointValidationError>();

        var options = services.GetRequiredService<DependencyHealthOptionsReader>().Read(errors);

        Assert.Empty(errors);
        Assert.Equal("db.svc", options!.Dependencies["db"].Host);
    }

    [Fact]
    public void A_broken_rule_is_an_error_with_its_key_and_its_rule_apart()
    {
        using var services = Services(With("DependencyHealth:Dependencies:db:Port", "0"));
        var errors = new List<EndpointValidationError>();

        var options = services.GetRequiredService<DependencyHealthOptionsReader>().Read(errors);

        Assert.Null(options);
        var error = Assert.Single(errors);
        Assert.Equal("DependencyHealth:Dependencies:db:Port", error.Field);
        Assert.DoesNotContain("DependencyHealth:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_errors_read_the_same_as_the_startup_failures()
    {
        var values = With("DependencyHealth:FailureThreshold", "0");
        values["DependencyHealth:Dependencies:db:Port"] = "0";
        using var services = Services(values);
        var errors = new List<EndpointValidationError>();

        services.GetRequiredService<DependencyHealthOptionsReader>().Read(errors);
        var startup = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DependencyHealthOptions>>().Value);

        Assert.Equal(startup.Failures, errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Another_validators_failure_is_reported_under_the_section_as_written()
    {
        using var services = Services(Valid, s => s.AddOptions<DependencyHealthOptions>().Validate(_ => false, "Custom: must hold"));
        var errors = new List<EndpointValidationError>();

        services.GetRequiredService<DependencyHealthOptionsReader>().Read(errors);

        var error = Assert.Single(errors);
        Assert.Equal(DependencyHealthOptions.SectionName, error.Field);
        Assert.Equal("Custom: must hold", error.Message);
    }
}
