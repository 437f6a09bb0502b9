using DepHealth.AspNetCore.Checks.Amqp;
using DepHealth.AspNetCore.Checks.Ldap;
using DepHealth.AspNetCore.Checks.MySql;
using DepHealth.AspNetCore.Checks.Postgres;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>Each factory's option validation: every invalid option is reported under its own key.</summary>
[Trait("Category", "unit")]
public sealed class ValidationTests
{
    public static TheoryData<string, string, string?> PostgresCases => new()
    {
        { "Url", "postgres://u:p@db:5432/app?sslmode=require", null },
        { "Url", "postgresql://u:p@db/app", null },
        { "Url", "mysql://u:p@db:5432/app", "Url" },
        { "Url", "postgres://u:p@db:5432/app?sslmode=sometimes", "Url" },
        { "ConnectionString", "Host=db;Username=u;Password=p", null },
        { "ConnectionString", "Host=db;No Such Keyword=1", "ConnectionString" },
        { "Query", "   ", "Query" },
        { "TlsSkipVerify", "perhaps", "TlsSkipVerify" },
    };

    public static TheoryData<string, string, string?> MySqlCases => new()
    {
        { "Url", "mysql://u:p@db:3306/app?ssl-mode=REQUIRED", null },
        { "Url", "postgres://u:p@db:3306/app", "Url" },
        { "Url", "mysql://u:p@db:3306/app?ssl-mode=SOMETIMES", "Url" },
        { "ConnectionString", "Server=db;User ID=u;Password=p", null },
        { "ConnectionString", "Server=db;No Such Keyword=1", "ConnectionString" },
        { "Query", "", "Query" },
        { "TlsSkipVerify", "perhaps", "TlsSkipVerify" },
    };

    public static TheoryData<string, string, string?> AmqpCases => new()
    {
        { "Url", "amqps://u:p@mq:5671/%2F", null },
        { "Url", "http://u:p@mq:5672/", "Url" },
        { "Url", "amqp://u:p@mq:5672/a/b", "Url" },
        { "ConnectionString", "Host=mq", "ConnectionString" },
        { "TlsSkipVerify", "perhaps", "TlsSkipVerify" },
    };

    public static TheoryData<string, string?> LdapCases => new()
    {
        { "", null },
        { "CheckMethod=anonymous_bind", null },
        { "CheckMethod=simple_bind;BindDN=cn=a;BindPassword=p", null },
        { "CheckMethod=search;BaseDN=dc=x;SearchScope=sub;SearchFilter=(uid=*)", null },
        { "CheckMethod=ping", "CheckMethod" },
        { "CheckMethod=simple_bind;BindPassword=p", "BindDN" },
        { "CheckMethod=simple_bind;BindDN=cn=a", "BindPassword" },
        { "CheckMethod=search", "BaseDN" },
        { "CheckMethod=search;BaseDN=dc=x;SearchScope=deep", "SearchScope" },
        { "CheckMethod=search;BaseDN=dc=x;SearchFilter=uid=*", "SearchFilter" },
        { "Url=ldaps://dir:636;StartTls=true", "StartTls" },
        { "StartTls=sometimes", "StartTls" },
        { "Url=http://dir:389", "Url" },
    };

    [Theory]
    [MemberData(nameof(PostgresCases))]
    public void Postgres_ReportsExactlyTheInvalidOption(string key, string value, string? invalidField) =>
        Assert.Equal(Expected(invalidField), Validate(new PostgresCheckerFactory(), "postgres", 5432, (key, value)));

    [Theory]
    [MemberData(nameof(MySqlCases))]
    public void MySql_ReportsExactlyTheInvalidOption(string key, string value, string? invalidField) =>
        Assert.Equal(Expected(invalidField), Validate(new MySqlCheckerFactory(), "mysql", 3306, (key, value)));

    [Theory]
    [MemberData(nameof(AmqpCases))]
    public void Amqp_ReportsExactlyTheInvalidOption(string key, string value, string? invalidField) =>
        Assert.Equal(Expected(invalidField), Validate(new AmqpCheckerFactory(), "amqp", 5672, (key, value)));

    [Theory]
    [MemberData(nameof(LdapCases))]
    public void Ldap_ReportsExactlyTheInvalidOption(string options, string? invalidField)
    {
        var pairs = options.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => (p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToArray();

        Assert.Equal(Expected(invalidField), Validate(new LdapCheckerFactory(), "ldap", 389, pairs));
    }

    [Fact]
    public void Errors_NeverRepeatTheUrlOrItsPassword()
    {
        var errors = new List<EndpointValidationError>();
        new PostgresCheckerFactory().Validate(
            Spec("postgres", 5432, (CheckerOptionKeys.Url, "postgres://u:s3cret-pw@db/app?sslmode=bogus")), errors);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("s3cret-pw", e.Message, StringComparison.Ordinal));
    }

    private static string[] Expected(string? field) => field is null ? [] : [field];

    private static string[] Validate(IDependencyCheckerFactory factory, string type, int port, params (string Key, string Value)[] options)
    {
        var errors = new List<EndpointValidationError>();
        factory.Validate(Spec(type, port, options), errors);
        return errors.Select(e => e.Field).Distinct().ToArray();
    }

    internal static EndpointSpec Spec(string type, int port, params (string Key, string Value)[] options) => new()
    {
        Dependency = "dep",
        Type = type,
        Host = "127.0.0.1",
        Port = port,
        Critical = true,
        Options = options.ToDictionary(o => o.Key, o => o.Value, StringComparer.OrdinalIgnoreCase),
    };
}
