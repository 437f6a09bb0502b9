using System.Text.Json;
using DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>A context on the real PostgreSQL through Npgsql.EntityFrameworkCore.PostgreSQL.</summary>
[Trait("Category", "integration")]
public sealed class PostgresDbContextTests
{
    private static Uri Url => TestDatabases.PostgresUrl;

    private static EfHarness Harness(string connectionString, Action<DependencyOptions>? configure = null) =>
        EfHarness.Create<PostgresContext>(s => s.AddDbContext<PostgresContext>(o => o.UseNpgsql(connectionString)), configure);

    [Fact]
    public async Task Check_WithTheApplicationsContext_IsOk()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Ok, result.Detail);
    }

    [Fact]
    public async Task Check_WithAPooledContextFactory_IsOk()
    {
        var connectionString = TestDatabases.ConnectionString(Url);
        using var harness = EfHarness.Create<PostgresContext>(s => s.AddPooledDbContextFactory<PostgresContext>(o => o.UseNpgsql(connectionString)));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Ok, result.Detail);
    }

    [Fact]
    public void Labels_AreTheProvidersTypeAndTheConnectionStringsHostAndPort()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url));

        var dependency = harness.Dependency;

        Assert.Equal(("postgres", Url.Host, Url.Port), (dependency.Type, dependency.Host, dependency.Port));
    }

    [Fact]
    public void Labels_SetInConfigure_WinOverTheContexts()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url), d =>
        {
            d.Host = "pg-primary.svc";
            d.Port = 6432;
        });

        var dependency = harness.Dependency;

        Assert.Equal(("postgres", "pg-primary.svc", 6432), (dependency.Type, dependency.Host, dependency.Port));
    }

    [Fact]
    public async Task Check_WithAWrongPassword_IsAuthError()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url, password: "not-the-password"));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.AuthError, result.Detail);
    }

    [Fact]
    public async Task Check_WithAWrongPassword_DescribesNoCredentials()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url, password: "wrong-secret-4711"));

        var result = await harness.CheckAsync();

        Assert.DoesNotContain("wrong-secret-4711", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestDatabases.Password(Url), result.ToString(), StringComparison.Ordinal);
    }

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
        using var harness = Harness(TestDatabases.ConnectionString(new UriBuilder(Url) { Host = "nonexistent.invalid" }.Uri));

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.DnsError, result.Detail);
    }

    [Fact]
    public async Task Check_WithThePoolHeldPastTheCheckTimeout_EndsAsTimeout()
    {
        var connectionString = TestDatabases.ConnectionString(Url, extra: "Maximum Pool Size=1;Timeout=30");
        using var harness = Harness(connectionString);
        await using var held = new NpgsqlConnection(connectionString);
        await held.OpenAsync();
        using var checkTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var result = await harness.CheckAsync(checkTimeout.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckDetails.Timeout, result.Detail);
    }

    [Fact]
    public async Task Check_WithTheOnePooledConnectionHeld_IsPoolExhausted()
    {
        var connectionString = TestDatabases.ConnectionString(Url, extra: "Maximum Pool Size=1;Timeout=1");
        using var harness = Harness(connectionString);

        // The context's provider opens connections from the pool of this connection string: hold its one connection.
        await using var held = await Eventually.SucceedsAsync(
            async () =>
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return connection;
            },
            e => e is NpgsqlException { InnerException: TimeoutException });
        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.PoolExhausted, result.Detail);
    }

    [Fact]
    public async Task Check_ReturnsItsConnectionToThePool()
    {
        var connectionString = TestDatabases.ConnectionString(Url, extra: "Maximum Pool Size=1;Timeout=5");
        using var harness = Harness(connectionString);

        var first = await harness.CheckAsync();
        var second = await harness.CheckAsync();

        Assert.Equal((CheckDetails.Ok, CheckDetails.Ok), (first.Detail, second.Detail));
    }

    [Fact]
    public async Task Check_RunsTheQueryOption()
    {
        using var harness = Harness(TestDatabases.ConnectionString(Url), d => d.Query = "SELECT * FROM no_such_table_of_dephealth");

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Error, result.Detail);
    }

    [Fact]
    public async Task DetailsEndpoint_ShowsTheContextsEndpointHealthy()
    {
        var connectionString = TestDatabases.ConnectionString(Url);
        await using var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddEntityFrameworkCore<PostgresContext>("orders-db", critical: true),
            services: s => s.AddDbContext<PostgresContext>(o => o.UseNpgsql(connectionString)));

        var details = await Eventually.ValueAsync(
            () => app.GetAsync("health/details"),
            r => r.Body.Contains("\"healthy\":true", StringComparison.Ordinal),
            "the context's endpoint is checked healthy");

        using var json = JsonDocument.Parse(details.Body);
        var endpoint = json.RootElement.GetProperty($"orders-db:{Url.Host}:{Url.Port}");
        Assert.Equal(("postgres", "ok"), (endpoint.GetProperty("type").GetString(), endpoint.GetProperty("detail").GetString()));
    }
}
