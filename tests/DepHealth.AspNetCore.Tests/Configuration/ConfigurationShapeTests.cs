using DepHealth.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Tests.Configuration;

[Trait("Category", "unit")]
public sealed class ConfigurationShapeTests
{
    private static List<EndpointValidationError> Bind(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)))
            .Build()
            .GetSection(DependencyHealthOptions.SectionName);
        var options = new DependencyHealthOptions();
        new DependencyHealthConfigurationBinding(configuration).Configure(options);
        return options.BindingErrors;
    }

    [Fact]
    public void A_misspelt_key_outside_the_dependencies_is_refused_with_its_path()
    {
        var error = Assert.Single(Bind(("DependencyHealth:Registry:Stroe", "memory")));

        Assert.Equal(("DependencyHealth:Registry:Stroe", "'Stroe' is not an option of DependencyRegistryOptions"), (error.Field, error.Message));
    }

    [Fact]
    public void A_value_that_does_not_convert_is_refused_with_its_path_and_type_but_not_the_value()
    {
        var error = Assert.Single(Bind(("DependencyHealth:History:Size", "lots-s3cret")));

        Assert.Equal(("DependencyHealth:History:Size", "cannot be converted to Int32"), (error.Field, error.Message));
    }

    [Fact]
    public void A_section_where_one_value_belongs_is_refused()
    {
        var error = Assert.Single(Bind(("DependencyHealth:CheckInterval:Seconds", "5")));

        Assert.Equal(("DependencyHealth:CheckInterval", "must be a single value (TimeSpan)"), (error.Field, error.Message));
    }

    [Fact]
    public void A_single_value_beside_a_dependencys_options_becomes_an_option_of_its_type()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Dependencies:dir:Type"] = "ldap",
            ["DependencyHealth:Dependencies:dir:BindDN"] = "cn=health",
        }).Build().GetSection(DependencyHealthOptions.SectionName);
        var options = new DependencyHealthOptions();

        new DependencyHealthConfigurationBinding(configuration).Configure(options);

        Assert.Empty(options.BindingErrors);
        Assert.Equal("cn=health", options.Dependencies["dir"].Options["BindDN"]);
    }

    [Fact]
    public void A_section_beside_a_dependencys_options_is_refused()
    {
        var error = Assert.Single(Bind(("DependencyHealth:Dependencies:dir:Tls:Mode", "strict")));

        Assert.Equal("DependencyHealth:Dependencies:dir:Tls", error.Field);
    }
}
