using DepHealth.AspNetCore.Checks.Amqp;
using DepHealth.AspNetCore.Checks.MySql;
using DepHealth.AspNetCore.Checks.Postgres;
using MySql.Data.MySqlClient;
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
}
