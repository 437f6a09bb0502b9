using System.Globalization;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// Packs every src project as a release would (Release, ContinuousIntegrationBuild) from a clone of the committed HEAD
/// whose origin is a GitHub URL, so SourceLink has a repository to point at. The version is unique
/// (<c>0.1.0-ci.&lt;timestamp&gt;</c>) so that a stale copy in the NuGet cache can never be used.
/// </summary>
public sealed class PackFixture : IAsyncLifetime
{
    public const string RepositoryUrl = "https://github.com/dephealth-aspnetcore/dephealth-aspnetcore";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("dephealth-pack-").FullName;

    public string Version { get; } = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public string Feed => Path.Combine(Directory, "feed");

    public string Clone => Path.Combine(Directory, "repo");

    public string Commit { get; private set; } = "";

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
        foreach (var project in SourceProjects.Names())
        {
            await Run("dotnet", [
                "pack", Path.Combine(Clone, "src", project, project + ".csproj"),
                "-c", "Release", "-o", Feed, "--nologo", "-nodeReuse:false",
                $"-p:PackageVersion={Version}", "-p:ContinuousIntegrationBuild=true", "-p:UseSharedCompilation=false",
            ], Clone, TimeSpan.FromMinutes(5));
        }
    }

    public static async Task Run(string file, string[] arguments, string directory, TimeSpan? timeout = null)
    {
        var result = await ProcessRunner.RunAsync(file, arguments, directory, timeout, DotnetEnvironment);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {result}");
    }

    public Task DisposeAsync()
    {
        // The unique version extracted into the global packages folder by the throwaway app's restore.
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
