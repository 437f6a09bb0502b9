using DepHealth.AspNetCore.Addressing;


namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>Contract §3: URL schemes and default ports, multi-host URLs, IPv6, and .NET connection strings.</summary>
[Trait("Category", "unit")]
public sealed class AddressParsingTests
{
    private static string Parse(string url, string? type = null)
    {
        Assert.True(EndpointAddressParser.TryParseUrl(url, type, out var parsedType, out var hosts, out var error), error);
        return $"{parsedType} " + string.Join(",", hosts.Select(h => $"{h.Host}:{h.Port}"));
    }

    [Theory]
    [InlineData("postgres://u:p@pg.svc/app", "postgres pg.svc:5432")]
    [InlineData("postgresql://pg.svc:6432/app", "postgres pg.svc:6432")]
    [InlineData("mysql://db", "mysql db:3306")]
    [InlineData("redis://:pw@cache/0", "redis cache:6379")]
    [InlineData("rediss://cache", "redis cache:6379")]
    [InlineData("amqp://mq/vhost", "amqp mq:5672")]
    [InlineData("amqps://mq", "amqp mq:5671")]
    [InlineData("http://web", "http web:80")]
    [InlineData("https://web/health", "http web:443")]
    [InlineData("grpc://rpc", "grpc rpc:443")]
    [InlineData("kafka://broker", "kafka broker:9092")]
    [InlineData("ldap://dir", "ldap dir:389")]
    [InlineData("ldaps://dir", "ldap dir:636")]
    [InlineData("tcp://h:7000", "tcp h:7000")]
    [InlineData("HTTP://Web:8080", "http Web:8080")]
    public void Scheme_decides_type_and_default_port(string url, string expected) => Assert.Equal(expected, Parse(url));

    [Theory]
    [InlineData("kafka://b0:9092,b1:9093,b2", "kafka b0:9092,b1:9093,b2:9093")]
    [InlineData("kafka://b0,b1:9093", "kafka b0:9092,b1:9093")]
    [InlineData("postgresql://u:p@h1:5432,h2:5433/db?target_session_attrs=any", "postgres h1:5432,h2:5433")]
    public void Multi_host_url_yields_one_endpoint_per_host_inheriting_the_previous_port(string url, string expected) =>
        Assert.Equal(expected, Parse(url));

    [Theory]
    [InlineData("redis://[::1]:6380", "redis ::1:6380")]
    [InlineData("http://[fe80::1]/x", "http fe80::1:80")]
    [InlineData("kafka://[::1]:9092,[::2]", "kafka ::1:9092,::2:9092")]
    public void IPv6_hosts_lose_their_brackets(string url, string expected) => Assert.Equal(expected, Parse(url));

    [Fact]
    public void Explicit_type_wins_over_the_scheme() => Assert.Equal("grpc h:50051", Parse("http://h:50051", "grpc"));

    [Fact]
    public void Userinfo_with_an_at_sign_is_not_taken_for_the_host() =>
        Assert.Equal("postgres pg:5432", Parse("postgres://user:p@ss@pg:5432/db"));

    [Theory]
    [InlineData("Host=pg.svc;Port=6432;Username=u;Password=p", "postgres", "pg.svc:6432")]
    [InlineData("Server=db.svc;Database=app", "mysql", "db.svc:3306")]
    [InlineData("Data Source=tcp:sql.svc,1433;User ID=sa", "tcp", "sql.svc:1433")]
    [InlineData("address=mq.svc:5673", "amqp", "mq.svc:5673")]
    [InlineData("ADDR=cache", "redis", "cache:6379")]
    [InlineData("Network Address=ldap.svc", "ldap", "ldap.svc:389")]
    [InlineData("Host=h1,h2:5433;Port=5432", "postgres", "h1:5432,h2:5433")]
    [InlineData("Host=h1:5433,h2", "postgres", "h1:5433,h2:5433")]
    public void Connection_string_host_and_port(string connectionString, string type, string expected)
    {
        Assert.True(EndpointAddressParser.TryParseConnectionString(connectionString, type, out var hosts, out var error), error);
        Assert.Equal(expected, string.Join(",", hosts.Select(h => $"{h.Host}:{h.Port}")));
    }

    [Theory]
    [InlineData("Username=u;Password=secret-pw", "has no host")]
    [InlineData("Host=h;Port=abc;Password=secret-pw", "Port must be a number")]
    [InlineData("Host=h", "has no port")]
    public void Invalid_connection_string_is_explained_without_repeating_it(string connectionString, string rule)
    {
        Assert.False(EndpointAddressParser.TryParseConnectionString(connectionString, "tcp", out _, out var error));
        Assert.Contains(rule, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error, StringComparison.Ordinal);
    }
}
