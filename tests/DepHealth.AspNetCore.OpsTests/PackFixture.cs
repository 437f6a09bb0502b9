using System.Globalization;
using System.Xml.Linq;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// Packs every src project as a release would (Release, ContinuousIntegrationBuild, the version prefix of
/// Directory.Build.props with a suffix) from a clone of the committed HEAD whose origin is a GitHub URL, so SourceLink
/// has a repository to point at. The suffix is unique (<c>ci.&lt;timestamp&gt;</c>) so that a stale copy in the NuGet
/// cache can never be used. Shared by the package tests and the consumer app built from the packages.
/// </summary>
public sealed class PackFixture : IAsyncLifetime
{
    public const string Collection = "packages";

    public const string RepositoryUrl = "https://github.com/dephealth-aspnetcore/dephealth-aspnetcore";

    private readonly Lazy<Task<ConsumerApp>> _consumer;

    public PackFixture() => _consumer = new(() => ConsumerApp.BuildAsync(this));

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("dephealth-pack-").FullName;

    public string VersionSuffix { get; } = "ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public string Version => $"{VersionPrefix}-{VersionSuffix}";

    /// <summary>The one version source: <c>VersionPrefix</c> in Directory.Build.props.</summary>
    public static string VersionPrefix =>
        XDocument.Load(Repo.PathOf("Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    public string Feed => Path.Combine(Directory, "feed");

    public string Clone => Path.Combine(Directory, "repo");

    public string Commit { get; private set; } = "";

    /// <summary>The app that references every package from <see cref="Feed"/>, built once on first use.</summary>
    public Task<ConsumerApp> Consumer => _consumer.Value;

    public static IDictionary<string, string?> DotnetEnvironment => new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
    };

    public string PackagePath(string project, string extension = "nupkg") => Path.Combine(Feed, $"{project}.{Version}.{extension}");

    public async Task InitializeAsync()
    {
        var head = await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"]);
        Assert.True(head.ExitCode == 0, $"the repository must be a git checkout: {head}");
        Commit = head.Output.Trim();
        await Run("git", ["clone", "--quiet", "--shared", "--no-checkout", Repo.Root, Clone], Directory);
        await Run("git", ["checkout", "--quiet", Commit], Clone);
        await Run("git", ["remote", "set-url", "origin", RepositoryUrl + ".git"], Clone);

        // One solution of the package projects, packed in one build: one restore and one evaluation of the shared
        // projects instead of one per package.
        await Run("dotnet", ["new", "sln", "--name", "Packages", "--format", "sln"], Clone);
        await Run("dotnet", ["sln", "Packages.sln", "add", .. SourceProjects.Names().Select(p => Path.Combine("src", p, p + ".csproj"))], Clone);
        await Run("dotnet", [
            "pack", "Packages.sln", "-c", "Release", "--nologo", "-nodeReuse:false",
            $"-p:PackageOutputPath={Feed}", $"-p:VersionSuffix={VersionSuffix}",
            "-p:ContinuousIntegrationBuild=true", "-p:UseSharedCompilation=false",
        ], Clone, TimeSpan.FromMinutes(8));
    }

    public static async Task Run(string file, string[] arguments, string directory, TimeSpan? timeout = null)
    {
        var result = await ProcessRunner.RunAsync(file, arguments, directory, timeout, DotnetEnvironment);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {result}");
    }

    public Task DisposeAsync()
    {
        // The unique version extracted into the global packages folder by the consumer app's restore.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var project in SourceProjects.Names())
        {
            var cached = Path.Combine(packages, project.ToLowerInvariant(), Version);
            if (System.IO.Directory.Exists(cached))
            {
                System.IO.Directory.Delete(cached, recursive: true);
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
