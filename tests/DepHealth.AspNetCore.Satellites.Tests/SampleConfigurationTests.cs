using System.Text.Json;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The sample monitors a real PostgreSQL, Redis and RabbitMQ purely from configuration.</summary>
[Trait("Category", "integration")]
public sealed class SampleConfigurationTests
{
    private sealed class ConfiguredSample : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("DependencyHealth:InitialDelay", "00:00:00");
            builder.UseSetting("DependencyHealth:Dependencies:postgres-main:Url", TestEnvironment.PostgresUrl);
            builder.UseSetting("DependencyHealth:Dependencies:postgres-main:Critical", "true");
            builder.UseSetting("DependencyHealth:Dependencies:cache:Url", TestEnvironment.Require("DEPHEALTH_TEST_REDIS_URL"));
            builder.UseSetting("DependencyHealth:Dependencies:cache:Critical", "true");
            builder.UseSetting("DependencyHealth:Dependencies:broker:Url", TestEnvironment.AmqpUrl);
            builder.UseSetting("DependencyHealth:Dependencies:broker:Critical", "false");
            builder.UseSetting("DependencyHealth:Dependencies:broker:Labels:role", "events");
        }
    }

    [Fact]
    public async Task Sample_monitors_postgres_redis_and_rabbitmq_from_configuration_alone()
    {
        await using var factory = new ConfiguredSample();
        using var client = factory.CreateClient();

        var details = await Eventually.ValueAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/details", UriKind.Relative))).RootElement,
            d => d.EnumerateObject().All(e => e.Value.GetProperty("status").GetString() == "ok"),
            "every dependency is healthy");

        var pg = new Uri(TestEnvironment.PostgresUrl).Port;
        var redis = new Uri(TestEnvironment.Require("DEPHEALTH_TEST_REDIS_URL")).Port;
        var amqp = new Uri(TestEnvironment.AmqpUrl).Port;
        Assert.Equal(
            [$"broker:127.0.0.1:{amqp}", $"cache:127.0.0.1:{redis}", $"postgres-main:127.0.0.1:{pg}"],
            details.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("amqp", details.GetProperty($"broker:127.0.0.1:{amqp}").GetProperty("type").GetString());
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains($"app_dependency_health{{name=\"dephealth-sample\",group=\"samples\",dependency=\"postgres-main\",type=\"postgres\",host=\"127.0.0.1\",port=\"{pg}\",critical=\"yes\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("dependency=\"cache\",type=\"redis\"", metrics, StringComparison.Ordinal);
        Assert.Contains($"dependency=\"broker\",type=\"amqp\",host=\"127.0.0.1\",port=\"{amqp}\",critical=\"no\",role=\"events\"}} 1", metrics, StringComparison.Ordinal);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        foreach (var secret in new[] { "dephealth-pg-secret", "dephealth-redis-secret", "dephealth-amqp-secret" })
        {
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, details.ToString(), StringComparison.Ordinal);
        }
    }
}
