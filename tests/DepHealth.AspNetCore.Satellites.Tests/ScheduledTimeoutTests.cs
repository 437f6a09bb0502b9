using System.Text.Json;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// Every type, configured from configuration alone and run by the real scheduler against a server that accepts and never
/// answers, is recorded as <c>timeout</c> with a latency close to the configured timeout.
/// </summary>
[Trait("Category", "integration")]
public sealed class ScheduledTimeoutTests
{
    private const int TimeoutMs = 500;

    [Theory]
    [InlineData("postgres", "postgres://u:p@127.0.0.1:{0}/db")]
    [InlineData("mysql", "mysql://u:p@127.0.0.1:{0}/db")]
    [InlineData("amqp", "amqp://u:p@127.0.0.1:{0}/")]
    [InlineData("ldap", "ldap://127.0.0.1:{0}")]
    [InlineData("redis", "redis://:p@127.0.0.1:{0}/0")]
    [InlineData("kafka", "kafka://127.0.0.1:{0}")]
    [InlineData("grpc", "grpc://127.0.0.1:{0}")]
    [InlineData("http", "http://127.0.0.1:{0}/health")]
    public async Task Silent_server_is_a_timeout_with_latency_near_the_timeout(string type, string urlFormat)
    {
        await using var silent = new SilentServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Name"] = "app",
            ["DependencyHealth:Group"] = "team",
            ["DependencyHealth:InitialDelay"] = "00:00:00",
            ["DependencyHealth:SpreadFirstChecks"] = "false",
            ["DependencyHealth:CheckInterval"] = "00:00:30",
            ["DependencyHealth:Timeout"] = TimeSpan.FromMilliseconds(TimeoutMs).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            [$"DependencyHealth:Dependencies:silent-{type}:Url"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, silent.Port),
            [$"DependencyHealth:Dependencies:silent-{type}:Critical"] = "true",
        });
        builder.Services.AddDependencyHealth(builder.Configuration).AddNpgsqlChecks().AddMySqlChecks().AddRabbitMQChecks().AddLdapChecks();
        await using var app = builder.Build();
        app.MapDependencyHealthDetails();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var endpoint = await Eventually.ValueAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/details", UriKind.Relative))).RootElement
                .GetProperty($"silent-{type}:127.0.0.1:{silent.Port}"),
            e => e.GetProperty("status").GetString() != "unknown",
            $"a result for {type}",
            TimeSpan.FromSeconds(20));

        Assert.Equal("timeout", endpoint.GetProperty("detail").GetString());
        // Recorded when the timeout fires; the upper bound only allows for a loaded machine's scheduling delay.
        Assert.InRange(endpoint.GetProperty("latency_ms").GetDouble(), TimeoutMs * 0.9, TimeoutMs + 2500);
        await app.StopAsync();
    }
}
