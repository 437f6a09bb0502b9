using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>Once a satellite's Add...Checks() is called, its factory names its keys: a key its checker does not read is an error.</summary>
[Trait("Category", "unit")]
public sealed class SatelliteOptionKeyTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // registration, URL, an option of another type its checker does not read
        { "npgsql", "postgres://u:p@db:5432/app", "CheckMethod" },
        { "mysql", "mysql://u:p@db:3306/app", "HealthPath" },
        { "rabbitmq", "amqp://u:p@mq:5672/", "Query" },
        { "ldap", "ldap://dir:389", "Database" },
    };

    private static IReadOnlyList<string> Failures(string registration, string url, string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Name"] = "app",
            ["DependencyHealth:Group"] = "team",
            ["DependencyHealth:Dependencies:dep:Url"] = url,
            ["DependencyHealth:Dependencies:dep:Critical"] = "true",
            [$"DependencyHealth:Dependencies:dep:{key}"] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddDependencyHealth(configuration);
        _ = registration switch
        {
            "npgsql" => builder.AddNpgsqlChecks(),
            "mysql" => builder.AddMySqlChecks(),
            "rabbitmq" => builder.AddRabbitMQChecks(),
            _ => builder.AddLdapChecks(),
        };
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return [.. exception.Failures];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Option_the_satellite_does_not_read_fails_startup_naming_the_key(string registration, string url, string unknown)
    {
        var failure = Assert.Single(Failures(registration, url, unknown, unknown == "CheckMethod" ? "search" : "x"));

        Assert.StartsWith($"DependencyHealth:Dependencies:dep:{unknown}: '{unknown}' is not an option of type ", failure, StringComparison.Ordinal);
    }
}
