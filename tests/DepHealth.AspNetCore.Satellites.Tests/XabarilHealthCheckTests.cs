using System.Globalization;
using System.Text.Json;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// Xabaril's AspNetCore.HealthChecks.NpgSql and .Rabbitmq checks, registered with <c>AddHealthChecks()</c> and run as
/// dependencies through <c>AddHealthCheckRegistration</c>, against the real PostgreSQL and RabbitMQ servers.
/// </summary>
[Trait("Category", "integration")]
public sealed class XabarilHealthCheckTests
{
    private static readonly TestUrl Postgres = new(TestEnvironment.PostgresUrl);
    private static readonly TestUrl Amqp = new(TestEnvironment.AmqpUrl);

    [Fact]
    public async Task Npgsql_check_against_a_healthy_server_exports_the_ok_series()
    {
        await using var app = await StartAppAsync(PostgresConnectionString(Postgres.Password), Postgres.Port, Harness.CheckTimeout);
        using var client = app.GetTestClient();

        var labels = $"name=\"app\",group=\"team\",dependency=\"orders-db\",type=\"postgres\",host=\"127.0.0.1\",port=\"{Postgres.Port}\",critical=\"yes\"";
        var metrics = await Eventually.ValueAsync(
            () => client.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            m => m.Contains("app_dependency_health{", StringComparison.Ordinal),
            "the first check's series",
            CheckRunner.Generous);

        Assert.Contains($"app_dependency_health{{{labels}}} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"app_dependency_status{{{labels},status=\"ok\"}} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"app_dependency_status_detail{{{labels},detail=\"ok\"}} 1\n", metrics, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Npgsql_check_with_a_wrong_password_is_auth_error()
    {
        using var harness = NpgsqlHarness(PostgresConnectionString("wrong-pg-password-8e2d"), Postgres.Port);

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task Npgsql_check_against_a_closed_port_is_connection_refused()
    {
        var port = LocalListeners.ClosedPort();
        using var harness = NpgsqlHarness(PostgresConnectionString(Postgres.Password, "127.0.0.1", port), port);

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task Npgsql_check_against_a_server_that_never_answers_is_a_timeout_at_the_dependency_timeout()
    {
        await using var silent = new SilentServer();
        await using var app = await StartAppAsync(PostgresConnectionString(Postgres.Password, "127.0.0.1", silent.Port), silent.Port, TimeSpan.FromMilliseconds(500));
        using var client = app.GetTestClient();

        var endpoint = await Eventually.ValueAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/details", UriKind.Relative))).RootElement
                .GetProperty($"orders-db:127.0.0.1:{silent.Port}"),
            e => e.GetProperty("status").GetString() != "unknown",
            "the first check's result",
            CheckRunner.Generous);

        Assert.Equal("timeout", endpoint.GetProperty("detail").GetString());
        await app.StopAsync();
    }

    [Fact]
    public async Task RabbitMQ_check_against_a_healthy_broker_is_ok()
    {
        await using var connection = await AmqpConnectionAsync(Amqp.Port);
        using var harness = RabbitMQHarness(connection, Amqp.Port);

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task RabbitMQ_check_against_a_closed_port_is_connection_refused()
    {
        var port = LocalListeners.ClosedPort();
        using var harness = Harness.Create(
            b => b.AddHealthCheckRegistration("mq", "rabbit", "amqp", "127.0.0.1", port, critical: true),
            services => services.AddHealthChecks().AddRabbitMQ(_ => AmqpConnectionAsync(port), name: "rabbit"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    /// <summary>An app whose dependency <c>orders-db</c> is Xabaril's NpgSql check registered as <c>orders-db</c>, on the real scheduler.</summary>
    private static async Task<WebApplication> StartAppAsync(string connectionString, int port, TimeSpan timeout)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Name"] = "app",
            ["DependencyHealth:Group"] = "team",
            ["DependencyHealth:InitialDelay"] = "00:00:00",
            ["DependencyHealth:SpreadFirstChecks"] = "false",
            ["DependencyHealth:CheckInterval"] = "00:01:00",
            ["DependencyHealth:Timeout"] = timeout.ToString("c", CultureInfo.InvariantCulture),
        });
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "orders-db");
        builder.Services.AddDependencyHealth(builder.Configuration)
            .AddHealthCheckRegistration("orders-db", "orders-db", "postgres", "127.0.0.1", port, critical: true);
        var app = builder.Build();
        app.MapDependencyHealthMetrics();
        app.MapDependencyHealthDetails();
        await app.StartAsync();
        return app;
    }

    private static Harness NpgsqlHarness(string connectionString, int port) =>
        Harness.Create(
            b => b.AddHealthCheckRegistration("pg", "npgsql", "postgres", "127.0.0.1", port, critical: true),
            services => services.AddHealthChecks().AddNpgSql(connectionString, name: "npgsql"));

    private static Harness RabbitMQHarness(IConnection connection, int port) =>
        Harness.Create(
            b => b.AddHealthCheckRegistration("mq", "rabbit", "amqp", "127.0.0.1", port, critical: true),
            services => services.AddHealthChecks().AddRabbitMQ(_ => connection, name: "rabbit"));

    private static string PostgresConnectionString(string password, string? host = null, int? port = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = host ?? Postgres.Host,
            Port = port ?? Postgres.Port,
            Username = Postgres.UserName,
            Password = password,
            Database = Postgres.Path,
            Timeout = (int)Harness.CheckTimeout.TotalSeconds,
            Pooling = false,
        }.ConnectionString;

    private static Task<IConnection> AmqpConnectionAsync(int port) => new ConnectionFactory
    {
        HostName = Amqp.Host,
        Port = port,
        UserName = Amqp.UserName,
        Password = Amqp.Password,
        VirtualHost = Uri.UnescapeDataString(Amqp.Path),
    }.CreateConnectionAsync();
}
