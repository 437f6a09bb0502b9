using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Npgsql;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>postgres</c> checker against a real PostgreSQL server.</summary>
[Trait("Category", "integration")]
public sealed class PostgresTests : SqlContractTests
{
    protected override string ServerUrl => TestEnvironment.PostgresUrl;

    protected override string WrongPassword => "wrong-pg-password-5f3a";

    protected override int DefaultPort => 5432;

    protected override void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null) =>
        builder.AddPostgres("db", url, critical: true, configure);

    [Fact]
    public async Task ConnectionStringFromConfiguration_WithValidCredentials_IsOk()
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = Url.Host,
            Port = Url.Port,
            Username = Url.UserName,
            Password = Url.Password,
            Database = Url.Path,
        }.ConnectionString;
        using var harness = Harness.Create(
            b => b.AddNpgsqlChecks(),
            configuration: new Dictionary<string, string?>
            {
                ["DependencyHealth:Dependencies:pg-cs:Type"] = "postgres",
                ["DependencyHealth:Dependencies:pg-cs:ConnectionString"] = connectionString,
                ["DependencyHealth:Dependencies:pg-cs:Critical"] = "true",
            });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithTheApplicationsDataSource_IsOk()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestConnectionString(maxPoolSize: 2, timeoutSeconds: 5));
        using var harness = Harness.Create(b => b.AddNpgsql("pg-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesHostAndPortFromTheDataSource()
    {
        using var dataSource = NpgsqlDataSource.Create(TestConnectionString(maxPoolSize: 2, timeoutSeconds: 5));
        using var harness = Harness.Create(b => b.AddNpgsql("pg-pool", _ => dataSource, critical: true));

        Assert.Equal((Url.Host, Url.Port), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task CoreDbDataSource_WithTheApplicationsDataSource_IsOk()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestConnectionString(maxPoolSize: 2, timeoutSeconds: 5));
        using var harness = Harness.Create(b => b.AddDbDataSource("pg-generic", "postgres", Url.Host, Url.Port, critical: true, _ => dataSource));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithEveryPooledConnectionHeld_IsPoolExhausted()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestConnectionString(maxPoolSize: 1, timeoutSeconds: 1));
        await using var held = await OpenWithRetriesAsync(dataSource);
        using var harness = Harness.Create(b => b.AddNpgsql("pg-pool", _ => dataSource, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("pool_exhausted", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithEveryPooledConnectionHeldPastTheCheckTimeout_IsTimeout()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestConnectionString(maxPoolSize: 1, timeoutSeconds: 30));
        await using var held = await dataSource.OpenConnectionAsync();
        using var harness = Harness.Create(b => b.AddNpgsql("pg-pool", _ => dataSource, critical: true));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var outcome = await CheckRunner.RunAsync(harness.CheckerFor(harness.Single), harness.Single, cts.Token);

        Assert.Equal("timeout", outcome.Detail);
    }

    // The 1 s pool timeout also bounds the physical connect, which a busy machine can exceed;
    // the test is about the check, so holding the one connection may take a few tries.
    private static Task<NpgsqlConnection> OpenWithRetriesAsync(NpgsqlDataSource dataSource) =>
        Eventually.SucceedsAsync(
            async () => await dataSource.OpenConnectionAsync(),
            e => e is NpgsqlException { InnerException: TimeoutException });

    private string TestConnectionString(int maxPoolSize, int timeoutSeconds) => new NpgsqlConnectionStringBuilder
    {
        Host = Url.Host,
        Port = Url.Port,
        Username = Url.UserName,
        Password = Url.Password,
        Database = Url.Path,
        MaxPoolSize = maxPoolSize,
        Timeout = timeoutSeconds,
    }.ConnectionString;
}
