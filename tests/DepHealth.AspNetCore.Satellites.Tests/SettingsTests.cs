using DepHealth.AspNetCore.Checks.Amqp;
using DepHealth.AspNetCore.Checks.MySql;
using DepHealth.AspNetCore.Checks.Postgres;
using MySqlConnector;
using Npgsql;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>How URLs and connection strings become driver settings for one endpoint.</summary>
[Trait("Category", "unit")]
public sealed class SettingsTests
{
    [Theory]
    [InlineData("amqp://u:p@mq:5672/%2F", "/")]
    [InlineData("amqp://u:p@mq:5672", "/")]
    [InlineData("amqp://u:p@mq:5672/", "/")]
    [InlineData("amqp://u:p@mq:5672/dephealth", "dephealth")]
    [InlineData("amqp://u:p@mq:5672/team%2Forders", "team/orders")]
    public void AmqpVhost_IsTheDecodedPathOrSlash(string url, string vhost)
    {
        var settings = AmqpCheckerSettings.Parse(ValidationTests.Spec("amqp", 5672, (CheckerOptionKeys.Url, url)), []);

        Assert.Equal(vhost, settings.VirtualHost);
    }

    [Fact]
    public void PostgresUrl_WithEscapedCredentials_DecodesThem()
    {
        var settings = PostgresCheckerSettings.Parse(
            ValidationTests.Spec("postgres", 5432, (CheckerOptionKeys.Url, "postgres://app%40team:p%40ss%3Aw%3Bord@db:5432/my%20db")), []);

        Assert.Equal(("app@team", "p@ss:w;ord", "my db"), (settings.Username, settings.Password, settings.Database));
    }

    [Fact]
    public void PostgresConnectionString_TakesHostAndPortFromTheEndpointOnly()
    {
        var spec = ValidationTests.Spec("postgres", 6543, (CheckerOptionKeys.ConnectionString, "Host=a,b:5433;Port=5432;Username=u;Password=p;Target Session Attributes=primary"));

        var endpoint = new NpgsqlConnectionStringBuilder(
            PostgresCheckerSettings.ForEndpoint(PostgresCheckerSettings.Parse(spec, []), spec, TimeSpan.FromSeconds(5)));

        Assert.Equal(("127.0.0.1", 6543, false, null), (endpoint.Host, endpoint.Port, endpoint.Pooling, endpoint.TargetSessionAttributes));
    }

    [Fact]
    public void MySqlUrl_TakesHostAndPortFromTheEndpointOnly()
    {
        var spec = ValidationTests.Spec("mysql", 3307, (CheckerOptionKeys.Url, "mysql://u:p%3B@db1:3306,db2:3308/app"));

        var endpoint = new MySqlConnectionStringBuilder(
            MySqlCheckerSettings.ForEndpoint(MySqlCheckerSettings.Parse(spec, []), spec, TimeSpan.FromSeconds(5)));

        Assert.Equal(("127.0.0.1", 3307u, "u", "p;", "app", false), (endpoint.Server, endpoint.Port, endpoint.UserID, endpoint.Password, endpoint.Database, endpoint.Pooling));
    }

    [Fact]
    public void MySqlConnectionString_NeverPoolsBlocksOrOpensAKillConnection()
    {
        var spec = ValidationTests.Spec("mysql", 3306, (CheckerOptionKeys.ConnectionString, "Server=db;User ID=u;Password=p;Pooling=true;ForceSynchronous=true;Cancellation Timeout=5"));

        var endpoint = new MySqlConnectionStringBuilder(
            MySqlCheckerSettings.ForEndpoint(MySqlCheckerSettings.Parse(spec, []), spec, TimeSpan.FromSeconds(5)));

        Assert.Equal((false, false, -1), (endpoint.Pooling, endpoint.ForceSynchronous, endpoint.CancellationTimeout));
    }

    [Fact]
    public void MySqlEndpoint_DriverTimeoutsAreTheChecksInWholeSeconds()
    {
        var spec = ValidationTests.Spec("mysql", 3306, (CheckerOptionKeys.Url, "mysql://u:p@db/app"));

        var endpoint = new MySqlConnectionStringBuilder(
            MySqlCheckerSettings.ForEndpoint(MySqlCheckerSettings.Parse(spec, []), spec, TimeSpan.FromMilliseconds(2500)));

        Assert.Equal((3u, 3u), (endpoint.ConnectionTimeout, endpoint.DefaultCommandTimeout));
    }

    [Theory]
    [InlineData("ssl-mode=DISABLED", null, MySqlSslMode.None)]
    [InlineData("ssl-mode=PREFERRED", null, MySqlSslMode.Preferred)]
    [InlineData("ssl-mode=REQUIRED", null, MySqlSslMode.Required)]
    [InlineData("ssl-mode=VERIFY_CA", null, MySqlSslMode.VerifyCA)]
    [InlineData("ssl-mode=VERIFY_IDENTITY", null, MySqlSslMode.VerifyFull)]
    [InlineData("sslmode=VerifyFull", null, MySqlSslMode.VerifyFull)]
    [InlineData("ssl-mode=VERIFY_IDENTITY", "true", MySqlSslMode.Required)]
    public void MySqlUrl_SslMode_BecomesMySqlConnectorsSslMode(string query, string? tlsSkipVerify, MySqlSslMode expected)
    {
        var options = tlsSkipVerify is null
            ? new[] { (CheckerOptionKeys.Url, $"mysql://u:p@db/app?{query}") }
            : [(CheckerOptionKeys.Url, $"mysql://u:p@db/app?{query}"), (CheckerOptionKeys.TlsSkipVerify, tlsSkipVerify)];

        var settings = MySqlCheckerSettings.Parse(ValidationTests.Spec("mysql", 3306, options), []);

        Assert.Equal(expected, settings.SslMode);
    }
}
