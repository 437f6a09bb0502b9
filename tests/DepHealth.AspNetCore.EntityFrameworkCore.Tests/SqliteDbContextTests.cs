using DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>A context on a SQLite file: a provider the contract has no type for, labelled by the application.</summary>
[Trait("Category", "unit")]
public sealed class SqliteDbContextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dephealth-ef-").FullName;

    private static EfHarness Harness(string connectionString, Action<DependencyOptions>? configure = null) =>
        EfHarness.Create<SqliteContext>(s => s.AddDbContext<SqliteContext>(o => o.UseSqlite(connectionString)), configure);

    private static void Label(DependencyOptions d)
    {
        d.Type = DependencyTypes.Tcp;
        d.Host = "localhost";
        d.Port = 1;
    }

    [Fact]
    public void Registration_WithoutLabels_FailsNamingTheProviderAndTheFieldsToSet()
    {
        using var harness = Harness($"Data Source={Path.Combine(_directory, "app.db")}");

        var error = Assert.Throws<InvalidOperationException>(() => harness.Dependency);

        Assert.Contains("Dependency 'orders-db': SqliteContext uses the provider Microsoft.EntityFrameworkCore.Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Type, Host and Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithLabelsSetInConfigure_IsOk()
    {
        using var harness = Harness($"Data Source={Path.Combine(_directory, "app.db")}", Label);

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Ok, result.Detail);
    }

    [Fact]
    public async Task Check_OfAFileThatCannotBeOpened_IsError()
    {
        using var harness = Harness($"Data Source={Path.Combine(_directory, "missing", "app.db")};Mode=ReadOnly", Label);

        var result = await harness.CheckAsync();

        Assert.Equal(CheckDetails.Error, result.Detail);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
