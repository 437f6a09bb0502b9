using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using MySql.Data.MySqlClient;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>mysql</c> checker against a real MySQL-compatible server.</summary>
[Trait("Category", "integration")]
public sealed class MySqlTests
{
    private const string WrongPassword = "wrong-my-password-8d2e";

    private static TestUrl Url => new(TestEnvironment.MySqlUrl);

    [Fact]
    public async Task Url_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(b => b.AddMySql("my", TestEnvironment.MySqlUrl, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_IsAuthError()
    {
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithPassword(WrongPassword), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_FailsWithoutAnyPasswordInTheException()
    {
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithPassword(WrongPassword), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.NotNull(outcome.Exception);
        Assert.DoesNotContain(WrongPassword, outcome.Exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Url.Password, outcome.Exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithHostPort("127.0.0.1", LocalPorts.Unused()), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task UnknownHost_IsDnsError()
    {
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithHostPort("nonexistent.invalid", 3306), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("dns_error", outcome.Detail);
    }

    [Fact]
    public async Task SilentServer_IsTimeoutPromptlyAfterCancellation()
    {
        await using var server = new SilentServer();
        using var harness = Harness.Create(b => b.AddMySql("my", Url.WithHostPort("127.0.0.1", server.Port), critical: true));

        var outcome = await CheckRunner.RunUntilCancelledAsync(harness.CheckerFor(harness.Single), harness.Single, server);

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task ConnectionStringFromConfiguration_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(
            b => b.AddMySqlChecks(),
            configuration: new Dictionary<string, string?>
            {
                ["DependencyHealth:Dependencies:my-cs:Type"] = "mysql",
                ["DependencyHealth:Dependencies:my-cs:ConnectionString"] = AppConnectionString(),
                ["DependencyHealth:Dependencies:my-cs:Critical"] = "true",
            });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithTheApplicationsConnections_IsOk()
    {
        var connectionString = AppConnectionString();
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => new MySqlConnection(connectionString), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesHostAndPortFromTheConnectionString()
    {
        var connectionString = AppConnectionString();
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => new MySqlConnection(connectionString), critical: true));

        Assert.Equal((Url.Host, Url.Port), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task CoreDbConnection_WithTheApplicationsConnections_IsOk()
    {
        var connectionString = AppConnectionString();
        using var harness = Harness.Create(b => b.AddDbConnection("my-generic", "mysql", Url.Host, Url.Port, critical: true, _ => new MySqlConnection(connectionString)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    private static string AppConnectionString() => new MySqlConnectionStringBuilder
    {
        Server = Url.Host,
        Port = (uint)Url.Port,
        UserID = Url.UserName,
        Password = Url.Password,
        Database = Url.Path,
        SslMode = MySqlSslMode.None,
    }.ConnectionString;
}
