using DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore.MariaDb.Tests;

/// <summary>The application's context on the real MariaDB through Pomelo.EntityFrameworkCore.MySql (EF Core 9).</summary>
[Trait("Category", "integration")]
public sealed class MariaDbDbContextTests
{
    // Stated, not detected: detection would connect while the services are built, before any check.
    private static readonly MariaDbServerVersion Server = new(new Version(10, 11));

    private static Uri Url => TestDatabases.MySqlUrl;

    private static EfHarness Harness(string connectionString) =>
        EfHarness.Create<MariaDbContext>(s => s.AddDbContext<MariaDbContext>(o => o.UseMySql(connectionString, Server)));

    [Fact]
    public async Task Check_WithTheApplicationsContext_IsOk()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Ok, result.Detail);
    }

    [Fact]
    public void Labels_AreMySqlAndTheConnectionStringsHostAndPort()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url));

        var dependency = harness.Dependency;

        Assert.Equal(("mysql", Url.Host, Url.Port), (dependency.Type, dependency.Host, dependency.Port));
    }

    [Fact]
    public async Task Check_WithAWrongPassword_IsAuthError()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url, password: "not-the-password"));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.AuthError, result.Detail);
    }

    // Pomelo's execution strategy wraps the driver's error in "likely due to a transient failure": still classified.
    [Fact]
    public async Task Check_AgainstAClosedPort_IsConnectionRefused()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url, port: LocalPorts.Unused()));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.ConnectionRefused, result.Detail);
    }

    [Fact]
    public async Task Check_OfAnUnknownHost_IsDnsError()
    {
        var url = new UriBuilder(Url) { Host = "nonexistent.invalid" }.Uri;
        using var harness = Harness(TestDatabases.ConnectionString(url));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.DnsError, result.Detail);
    }
}

public sealed class MariaDbContext(DbContextOptions<MariaDbContext> options) : DbContext(options);
