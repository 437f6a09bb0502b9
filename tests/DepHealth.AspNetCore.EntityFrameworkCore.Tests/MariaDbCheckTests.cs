using DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;
using MySqlConnector;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>
/// The satellite's check and classification on the real MariaDB through MySqlConnector, opened directly by the same
/// check the context checker runs after OpenConnectionAsync (a full pool needs a connection string of its own). A real
/// context on MariaDB is tested in DepHealth.AspNetCore.EntityFrameworkCore.MariaDb.Tests: Pomelo 9.0.0, the one EF Core
/// provider on MySqlConnector served here, takes EF Core 9 and fails on EF Core 10 (MissingMethodException in UseMySql).
/// </summary>
[Trait("Category", "integration")]
public sealed class MariaDbCheckTests
{
    private static Uri Url => TestDatabases.MySqlUrl;

    private static EndpointSpec Endpoint(int? port = null) => new()
    {
        Dependency = "orders-db",
        Type = DependencyTypes.MySql,
        Host = Url.Host,
        Port = port ?? Url.Port,
        Critical = true,
    };

    private static async Task<CheckResult> CheckAsync(string connectionString, EndpointSpec endpoint)
    {
        using var timeout = new CancellationTokenSource(EfHarness.CheckTimeout + TimeSpan.FromSeconds(5));
        return await DatabaseCheck.RunAsync(
            async (opened, ct) =>
            {
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync(ct);
                opened();
                await DatabaseCheck.QueryAsync(connection, endpoint, EfHarness.CheckTimeout);
            },
            endpoint,
            timeout.Token);
    }

    [Fact]
    public void Provider_PomeloAndOracleMySql_AreTypeMySql()
    {
        Assert.Equal(
            ["mysql", "mysql"],
            new[] { "Pomelo.EntityFrameworkCore.MySql", "MySql.EntityFrameworkCore" }.Select(DbContextEndpoint.TypeOf));
    }

    [Fact]
    public async Task Check_OfTheServer_IsOk()
    {
        var result = await CheckAsync(TestDatabases.ConnectionString(Url), Endpoint());

        Assert.Equal(CheckDetails.Ok, result.Detail);
    }

    [Fact]
    public async Task Check_WithAWrongPassword_IsAuthError()
    {
        var result = await CheckAsync(TestDatabases.ConnectionString(Url, password: "not-the-password"), Endpoint());

        Assert.Equal(CheckDetails.AuthError, result.Detail);
    }

    [Fact]
    public async Task Check_AgainstAClosedPort_IsConnectionRefused()
    {
        var port = LocalPorts.Unused();

        var result = await CheckAsync(TestDatabases.ConnectionString(Url, port: port), Endpoint(port));

        Assert.Equal(CheckDetails.ConnectionRefused, result.Detail);
    }

    [Fact]
    public async Task Check_OfAnUnknownHost_IsDnsError()
    {
        var url = new UriBuilder(Url) { Host = "nonexistent.invalid" }.Uri;

        var result = await CheckAsync(TestDatabases.ConnectionString(url), Endpoint() with { Host = url.Host });

        Assert.Equal(CheckDetails.DnsError, result.Detail);
    }

    [Fact]
    public async Task Check_WithTheOnePooledConnectionHeld_IsPoolExhausted()
    {
        var connectionString = TestDatabases.ConnectionString(Url, extra: "Maximum Pool Size=1;Connection Timeout=1");

        // The 1 s connect timeout also bounds the physical connect, which a busy machine can exceed: hold it in a few tries.
        await using var held = await Eventually.SucceedsAsync(
            async () =>
            {
                var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync();
                return connection;
            },
            e => e is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost });

        var result = await CheckAsync(connectionString, Endpoint());

        Assert.Equal(CheckDetails.PoolExhausted, result.Detail);
    }
}
