using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>amqp</c> checker against a real RabbitMQ broker.</summary>
[Trait("Category", "integration")]
public sealed class RabbitMQTests : UrlCredentialContractTests
{
    protected override string ServerUrl => TestEnvironment.AmqpUrl;

    protected override string WrongPassword => "wrong-amqp-password-3b9c";

    protected override int DefaultPort => 5672;

    protected override void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null) =>
        builder.AddRabbitMQ("mq", url, critical: true, configure);

    [Fact]
    public async Task UnknownVhost_IsAuthError()
    {
        using var harness = Harness.Create(b => b.AddRabbitMQ("mq", Url.WithPath("no-such-vhost-dephealth"), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
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

    private Task<IConnection> AppConnectionAsync() => new ConnectionFactory
    {
        HostName = Url.Host,
        Port = Url.Port,
        UserName = Url.UserName,
        Password = Url.Password,
        VirtualHost = Uri.UnescapeDataString(Url.Path),
    }.CreateConnectionAsync();
}
