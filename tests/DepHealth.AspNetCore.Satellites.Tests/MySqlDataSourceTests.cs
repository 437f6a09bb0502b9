using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using MySqlConnector;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>mysql</c> check in pool mode through the application's MySqlDataSource, against the real server.</summary>
[Trait("Category", "integration")]
public sealed class MySqlDataSourceTests
{
    private static TestUrl Url => new(TestEnvironment.MySqlUrl);

    [Fact]
    public async Task PoolMode_WithTheApplicationsDataSource_IsOk()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url));
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesHostAndPortFromTheDataSource()
    {
        using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url));
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));

        Assert.Equal((Url.Host, Url.Port), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task PoolMode_WithWrongPassword_IsAuthError()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(new TestUrl(Url.WithPassword("wrong-my-pool-password-3c1f"))));
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_OnAClosedPort_IsConnectionRefused()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(new TestUrl(Url.WithHostPort("127.0.0.1", LocalPorts.Unused()))));
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithEveryPooledConnectionHeld_IsPoolExhausted()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url, maxPoolSize: 1, connectionTimeoutSeconds: 1));
        await using var held = await OpenWithRetriesAsync(dataSource);
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("pool_exhausted", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithEveryPooledConnectionHeldPastTheCheckTimeout_IsTimeout()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url, maxPoolSize: 1, connectionTimeoutSeconds: 30));
        await using var held = await dataSource.OpenConnectionAsync();
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var outcome = await CheckRunner.RunAsync(harness.CheckerFor(harness.Single), harness.Single, cts.Token);

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_ReturnsTheBorrowedConnectionToThePool()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url, maxPoolSize: 1, connectionTimeoutSeconds: 5));
        using var harness = Harness.Create(b => b.AddMySql("my-pool", _ => dataSource, critical: true));
        Assert.Equal("ok", (await harness.CheckSingleAsync()).Detail);

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task CoreDbDataSource_WithTheApplicationsDataSource_IsOk()
    {
        await using var dataSource = new MySqlDataSource(MySqlTests.AppConnectionString(Url));
        using var harness = Harness.Create(b => b.AddDbDataSource("my-generic", "mysql", Url.Host, Url.Port, critical: true, _ => dataSource));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    // The 1 s Connection Timeout also bounds the physical connect, which a busy machine can exceed;
    // the test is about the check, so holding the one connection may take a few tries.
    private static Task<MySqlConnection> OpenWithRetriesAsync(MySqlDataSource dataSource) =>
        Eventually.SucceedsAsync(
            async () => await dataSource.OpenConnectionAsync(),
            e => e is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost });
}
