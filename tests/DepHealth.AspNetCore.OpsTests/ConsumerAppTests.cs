using System.Text.Json;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// An application outside the repository built from the packed packages only (core and every satellite), as a user
/// builds one: it restores them from the packed folder, compiles the READMEs' calls, starts, checks and stops.
/// </summary>
[Trait("Category", "integration")]
[Collection(PackFixture.Collection)]
public sealed class ConsumerAppTests(PackFixture pack)
{
    private static readonly string[] Settings =
    [
        "--DependencyHealth:Name=consumer",
        "--DependencyHealth:Group=ci",
        "--DependencyHealth:InitialDelay=00:00:00",
        "--DependencyHealth:CheckInterval=00:00:02",
        "--DependencyHealth:Timeout=00:00:01.500",
    ];

    private static Task<(int Status, string Body)> ReadyAsync(RunningApp app) =>
        Eventually.ValueAsync(() => app.GetAsync("health/ready"), r => r.Status == 200, "the consumer app is ready", TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Consumer_restores_every_package_at_the_packed_version_from_the_packed_folder()
    {
        var consumer = await pack.Consumer;
        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(consumer.AssetsFile));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
        var sources = assets.RootElement.GetProperty("project").GetProperty("restore").GetProperty("sources").EnumerateObject().Select(s => s.Name);

        Assert.All(SourceProjects.Names(), p => Assert.Contains($"{p}/{pack.Version}", libraries));
        Assert.Contains(sources, s => Path.TrimEndingDirectorySeparator(s) == pack.Feed);
    }

    [Fact]
    public async Task Consumer_compiles_the_csharp_of_every_package_readme()
    {
        var consumer = await pack.Consumer;

        Assert.Equal(SourceProjects.Names(), consumer.ReadmeSnippets.Keys.Order(StringComparer.Ordinal));
        Assert.All(consumer.ReadmeSnippets, s => Assert.True(s.Value > 0, $"{s.Key}'s README shows no C# registration call"));
    }

    [Fact]
    public async Task Consumer_app_answers_live_and_stops_on_sigterm()
    {
        using var app = await (await pack.Consumer).StartAsync(Settings);

        var live = await Eventually.ValueAsync(() => app.GetAsync("health/live"), r => r.Status == 200, "the consumer app is live");
        await app.Process.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("""{"status":"healthy"}""", live.Body);
        Assert.True(app.Process.ExitCode == 0, $"exit code {app.Process.ExitCode}:\n{app.Process.Output}");
    }

    [Fact]
    public async Task Consumer_app_is_ready_and_serves_metrics_and_the_status_page()
    {
        using var dependency = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dependency.Start();
        var port = ((System.Net.IPEndPoint)dependency.LocalEndpoint).Port;
        using var app = await (await pack.Consumer).StartAsync([
            .. Settings,
            "--DependencyHealth:Dependencies:local-tcp:Type=tcp",
            "--DependencyHealth:Dependencies:local-tcp:Host=127.0.0.1",
            $"--DependencyHealth:Dependencies:local-tcp:Port={port}",
            "--DependencyHealth:Dependencies:local-tcp:Critical=true",
        ]);

        var ready = await ReadyAsync(app);
        var metrics = await app.GetAsync("metrics");
        var page = await app.GetAsync("health/ui");

        Assert.Equal("""{"status":"healthy"}""", ready.Body);
        Assert.Contains($"app_dependency_health{{name=\"consumer\",group=\"ci\",dependency=\"local-tcp\",type=\"tcp\",host=\"127.0.0.1\",port=\"{port}\",critical=\"yes\"}} 1", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("<title>Dependency health", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_app_checks_every_satellite_type_healthy_against_the_real_servers()
    {
        using var app = await (await pack.Consumer).StartAsync([
            .. Settings,
            $"--DependencyHealth:Dependencies:pg:Url={RequiredEnvironment.Get("DEPHEALTH_TEST_POSTGRES_URL")}",
            "--DependencyHealth:Dependencies:pg:Critical=false",
            $"--DependencyHealth:Dependencies:my:Url={RequiredEnvironment.Get("DEPHEALTH_TEST_MYSQL_URL")}",
            "--DependencyHealth:Dependencies:my:Critical=false",
            $"--DependencyHealth:Dependencies:mq:Url={RequiredEnvironment.Get("DEPHEALTH_TEST_AMQP_URL")}",
            "--DependencyHealth:Dependencies:mq:Critical=false",
            $"--DependencyHealth:Dependencies:ldap:Url={RequiredEnvironment.Get("DEPHEALTH_TEST_LDAP_URL")}",
            "--DependencyHealth:Dependencies:ldap:Critical=false",
        ]);

        var types = await Eventually.ValueAsync(
            async () =>
            {
                using var details = JsonDocument.Parse((await app.GetAsync("health/details")).Body);
                return details.RootElement.EnumerateObject()
                    .Where(e => e.Value.GetProperty("healthy").ValueKind == JsonValueKind.True)
                    .Select(e => e.Value.GetProperty("type").GetString()!)
                    .Order(StringComparer.Ordinal)
                    .ToList();
            },
            healthy => healthy.Count == 4,
            "every satellite's endpoint is healthy",
            TimeSpan.FromSeconds(60));

        Assert.Equal(["amqp", "ldap", "mysql", "postgres"], types);
    }

    [Fact]
    public async Task Consumer_app_opens_the_sqlite_registry_store_it_is_configured_with()
    {
        var file = Path.Combine(pack.Directory, $"registry-{Guid.NewGuid():N}.db");
        using var app = await (await pack.Consumer).StartAsync([
            .. Settings, "--DependencyHealth:Registry:Store=sqlite", $"--Sqlite:Path={file}",
        ]);

        // The store is loaded while the host starts, before the server listens.
        Assert.True(File.Exists(file), $"the sqlite store did not create {file}:\n{app.Process.Output}");
    }
}
