using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>amqp</c> checker against a real RabbitMQ broker.</summary>
[Trait("Category", "integration")]
public sealed class RabbitMQTests
{
    private const string WrongPassword = "wrong-amqp-password-3b9c";

    private static TestUrl Url => new(TestEnvironment.AmqpUrl);

    [Fact]
    public async Task Url_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", TestEnvironment.AmqpUrl, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_IsAuthError()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithPassword(WrongPassword), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_FailsWithoutAnyPasswordInTheException()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithPassword(WrongPassword), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.NotNull(outcome.Exception);
        Assert.DoesNotContain(WrongPassword, outcome.Exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Url.Password, outcome.Exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVhost_IsAuthError()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithPath("no-such-vhost-dephealth"), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithHostPort("127.0.0.1", LocalPorts.Unused()), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task UnknownHost_IsDnsError()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithHostPort("nonexistent.invalid", 5672), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("dns_error", outcome.Detail);
    }

    [Fact]
    public async Task SilentServer_IsTimeoutPromptlyAfterCancellation()
    {
        await using var server = new SilentServer();
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithHostPort("127.0.0.1", server.Port), critical: true));

        var outcome = await CheckRunner.RunUntilCancelledAsync(harness.CheckerFor(harness.Single), harness.Single, server);

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithTheApplicationsConnection_IsOk()
    {
        await using var connection = await AppConnectionAsync();
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq-pool", _ => connection, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_LeavesTheApplicationsConnectionOpen()
    {
        await using var connection = await AppConnectionAsync();
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq-pool", _ => connection, critical: true));

        await harness.CheckSingleAsync();

        Assert.True(connection.IsOpen);
    }

    private static Task<IConnection> AppConnectionAsync() => new ConnectionFactory
    {
        HostName = Url.Host,
        Port = Url.Port,
        UserName = Url.UserName,
        Password = Url.Password,
        VirtualHost = Uri.UnescapeDataString(Url.Path),
    }.CreateConnectionAsync();
}
