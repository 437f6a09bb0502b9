using System.Net;
using DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Sqlite.Tests;

/// <summary>What the sqlite store keeps, refuses and reports.</summary>
[Trait("Category", "unit")]
public sealed class SqliteStoreTests
{
    private static EndpointSpec Tcp(string dependency, int port) =>
        new() { Dependency = dependency, Type = "tcp", Host = "127.0.0.1", Port = port, Critical = false };

    private static Task<TestWebApp> StartAsync(string path, Action<DependencyHealthOptions>? configure = null) =>
        TestWebApp.StartAsync(
            configure: o =>
            {
                configure?.Invoke(o);
            },
            dependencies: b => b.AddSqliteRegistryStore(path));

    [Fact]
    public async Task Configuration_endpoints_are_not_written_to_the_store()
    {
        using var file = new SqliteFile();
        await using var app = await StartAsync(file.Path, o =>
            o.Dependencies["configured"] = new DependencyOptions { Type = "tcp", Host = "127.0.0.1", Port = 7001, Critical = false });
        Assert.True(await app.Registry.AddAsync(Tcp("runtime", 7002)));

        Assert.Equal(["runtime:127.0.0.1:7002"], file.Rows().Keys);
    }

    [Fact]
    public async Task Endpoint_with_a_custom_checker_factory_is_refused_with_a_store()
    {
        using var file = new SqliteFile();
        await using var app = await StartAsync(file.Path);
        var spec = Tcp("custom", 7003) with { CheckerFactory = _ => new ScriptedChecker(TimeProvider.System) };

        var error = await Assert.ThrowsAsync<EndpointValidationException>(() => app.Registry.AddAsync(spec));

        var field = Assert.Single(error.Errors);
        Assert.Equal("CheckerFactory", field.Field);
        Assert.Contains("cannot be stored", field.Message, StringComparison.Ordinal);
        Assert.Empty(app.Registry.GetAll());
        Assert.Empty(file.Rows());
    }

    [Fact]
    public async Task Corrupt_file_stops_startup_naming_the_file_and_leaves_it_untouched()
    {
        using var file = new SqliteFile();
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(file.Path, garbage);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(file.Path));

        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(file.Path));
    }

    [Fact]
    public async Task Stored_value_that_is_not_an_endpoint_stops_startup_naming_the_key()
    {
        using var file = new SqliteFile();
        await using (var app = await StartAsync(file.Path))
        {
            await app.Registry.AddAsync(Tcp("edited", 7004));
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file.Path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE endpoints SET spec = '{\"dependency\":\"edited\"}'";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(file.Path));

        Assert.Contains("edited:127.0.0.1:7004", error.Message, StringComparison.Ordinal);
        Assert.Single(file.Rows());
    }

    [Fact]
    public async Task Store_file_is_created_readable_by_its_owner_only()
    {
        using var file = new SqliteFile();
        await using var app = await StartAsync(file.Path);

        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(file.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task Store_that_cannot_be_written_makes_the_api_answer_503_and_changes_nothing()
    {
        using var file = new SqliteFile();
        await using var app = await StartAsync(file.Path);

        // Another connection holds the write lock longer than the store's busy timeout.
        using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file.Path};Pooling=false;Default Timeout=1");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        using var response = await app.Client.PostAsync(
            new Uri("/admin/endpoints", UriKind.Relative),
            SampleInstance.Json("{\"dependency\":\"blocked\",\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":7005,\"critical\":false}"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("registry store unavailable", body, StringComparison.Ordinal);
        Assert.Empty(app.Registry.GetAll());
    }

    [Fact]
    public void Sqlite_store_without_a_path_is_a_configuration_error_naming_the_key()
    {
        var failures = StartupValidation.Failures(b =>
        {
            b.AddSqliteRegistryStore();
            b.Services.Configure<DependencyHealthOptions>(o => o.Registry.Store = "sqlite");
        });

        Assert.Contains(failures, f => f.Contains("SqliteRegistryStoreOptions.Path: is required when DependencyHealth:Registry:Store is sqlite", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Store_selected_in_code_with_a_path_is_used()
    {
        using var file = new SqliteFile();
        await using var app = await TestWebApp.StartAsync(
            configuration: new ConfigurationBuilder().Build(),
            dependencies: b => b.AddSqliteRegistryStore(file.Path));
        await app.Registry.AddAsync(Tcp("coded", 7006));

        Assert.Equal(["coded:127.0.0.1:7006"], file.Rows().Keys);
    }
}
