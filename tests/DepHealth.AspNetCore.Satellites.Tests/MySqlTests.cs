using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using MySqlConnector;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The standalone <c>mysql</c> checker against a real MySQL-compatible server (MariaDB here).</summary>
[Trait("Category", "integration")]
public sealed class MySqlTests : SqlContractTests
{
    protected override string ServerUrl => TestEnvironment.MySqlUrl;

    protected override string WrongPassword => "wrong-my-password-8d2e";

    protected override int DefaultPort => 3306;

    protected override void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null) =>
        builder.AddMySql("db", url, critical: true, configure);

    [Fact]
    public async Task ConnectionStringFromConfiguration_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(
            b => b.AddMySqlChecks(),
            configuration: new Dictionary<string, string?>
            {
                ["DependencyHealth:Dependencies:my-cs:Type"] = "mysql",
                ["DependencyHealth:Dependencies:my-cs:ConnectionString"] = AppConnectionString(Url),
                ["DependencyHealth:Dependencies:my-cs:Critical"] = "true",
            });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task UnknownDatabase_TheUserMayNotSee_IsAuthError()
    {
        // The test user has rights on its own database only, so the server answers 1044 (access denied to database).
        using var harness = Harness.Create(b => AddUrl(b, Url.WithPath("no_such_database")));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task SslModeRequired_OnAServerWithoutTls_IsTlsError()
    {
        // The test server offers no TLS.
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl + "?ssl-mode=REQUIRED"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("tls_error", outcome.Detail);
    }

    [Fact]
    public async Task SslModeDisabled_IsOk()
    {
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl + "?ssl-mode=DISABLED"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Query_StillRunningAtTheTimeout_IsTimeoutPromptly()
    {
        // The endpoint's 1 s timeout is the abandoned query's command timeout.
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl, d => (d.Query, d.Timeout) = ("SELECT SLEEP(10)", TimeSpan.FromSeconds(1))));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var outcome = await CheckRunner.RunAsync(harness.CheckerFor(harness.Single), harness.Single, cts.Token).WaitAsync(TimeSpan.FromSeconds(3));

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithTheApplicationsConnections_IsOk()
    {
        var connectionString = AppConnectionString(Url);
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => new MySqlConnection(connectionString), critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesHostAndPortFromTheConnectionString()
    {
        var connectionString = AppConnectionString(Url);
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => new MySqlConnection(connectionString), critical: true));

        Assert.Equal((Url.Host, Url.Port), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task CoreDbConnection_WithTheApplicationsConnections_IsOk()
    {
        var connectionString = AppConnectionString(Url);
        using var harness = Harness.Create(b => b.AddDbConnection("my-generic", "mysql", Url.Host, Url.Port, critical: true, _ => new MySqlConnection(connectionString)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    /// <summary>A connection string to the test server, as an application would write it.</summary>
    internal static string AppConnectionString(TestUrl url, uint maxPoolSize = 100, uint connectionTimeoutSeconds = 15) => new MySqlConnectionStringBuilder
    {
        Server = url.Host,
        Port = (uint)url.Port,
        UserID = url.UserName,
        Password = url.Password,
        Database = url.Path,
        SslMode = MySqlSslMode.None,
        MaximumPoolSize = maxPoolSize,
        ConnectionTimeout = connectionTimeoutSeconds,
    }.ConnectionString;
}
