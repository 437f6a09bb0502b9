using System.Globalization;
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
            ["DependencyHealth:Timeout"] = Harness.CheckTimeout.ToString("c", CultureInfo.InvariantCulture),
        });
        builder.Services.AddHealthChecks().AddNpgSql(PostgresConnectionString(Postgres.Password), name: "orders-db");
        builder.Services.AddDependencyHealth(builder.Configuration)
            .AddHealthCheckRegistration("orders-db", "orders-db", "postgres", Postgres.Host, Postgres.Port, critical: true);
        await using var app = builder.Build();
        app.MapDependencyHealthMetrics();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var labels = $"name=\"app\",group=\"team\",dependency=\"orders-db\",type=\"postgres\",host=\"{Postgres.Host}\",port=\"{Postgres.Port}\",critical=\"yes\"";
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
    public async Task Npgsql_check_against_a_server_that_never_answers_is_timeout()
    {
        await using var silent = new SilentServer();
        using var harness = NpgsqlHarness(PostgresConnectionString(Postgres.Password, "127.0.0.1", silent.Port), silent.Port);

        var outcome = await CheckRunner.RunUntilCancelledAsync(harness.CheckerFor(harness.Single), harness.Single, silent);

        Assert.Equal("timeout", outcome.Detail);
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
