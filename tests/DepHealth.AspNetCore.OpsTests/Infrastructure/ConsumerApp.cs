using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// An application outside the repository that references every package at the packed version from the packed folder,
/// as a user's would: it registers every satellite, and the C# blocks of every packed README are compiled into it
/// (never run), so a README cannot show a call the package lacks. Built once; each test runs its own process of it.
/// </summary>
public sealed partial class ConsumerApp
{
    private const string ProgramText = """
        using DepHealth.AspNetCore;
        using OpenTelemetry.Metrics;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDependencyHealth(builder.Configuration)
            .AddNpgsqlChecks()
            .AddMySqlChecks()
            .AddRabbitMQChecks()
            .AddLdapChecks()
            .AddSqliteRegistryStore()
            .AddEtcdRegistryStore(builder.Configuration.GetSection("Etcd"));
        builder.Services.AddDependencyHealthGrpcProbes();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddDependencyHealthInstrumentation());
        var app = builder.Build();
        app.MapDependencyHealthProbes();
        app.MapDependencyHealthMetrics();
        app.MapDependencyHealthDetails();
        app.MapDependencyHealthDashboard();
        app.MapGrpcHealthChecksService();
        app.Run();
        """;

    private ConsumerApp(string directory, IReadOnlyDictionary<string, int> readmeSnippets)
    {
        Directory = directory;
        ReadmeSnippets = readmeSnippets;
    }

    public string Directory { get; }

    public string Dll => Path.Combine(Directory, "bin", "Debug", "net10.0", "Consumer.dll");

    public string AssetsFile => Path.Combine(Directory, "obj", "project.assets.json");

    /// <summary>How many C# blocks of each package's README were compiled into the app.</summary>
    public IReadOnlyDictionary<string, int> ReadmeSnippets { get; }

    public static async Task<ConsumerApp> BuildAsync(PackFixture pack)
    {
        var directory = Path.Combine(pack.Directory, "consumer");
        System.IO.Directory.CreateDirectory(directory);
        // Stop MSBuild from importing anything above the temporary folder.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(directory, file), "<Project />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="dephealth-packed" value="{pack.Feed}" />
              </packageSources>
            </configuration>
            """);
        var references = string.Concat(SourceProjects.Names().Select(p => $"\n    <PackageReference Include=\"{p}\" Version=\"[{pack.Version}]\" />"));
        await File.WriteAllTextAsync(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>{references}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), ProgramText);
        var snippets = new Dictionary<string, int>();
        var methods = new StringBuilder();
        foreach (var project in SourceProjects.Names())
        {
            using var package = ZipFile.OpenRead(pack.PackagePath(project));
            using var reader = new StreamReader(package.GetEntry("README.md")!.Open());
            var blocks = CSharpBlock().Matches(await reader.ReadToEndAsync()).Select(m => m.Groups["code"].Value).ToList();
            snippets[project] = blocks.Count;
            for (var i = 0; i < blocks.Count; i++)
            {
                methods.Append($"    public static void {project.Replace('.', '_')}_{i}(WebApplicationBuilder builder)\n    {{\n{blocks[i]}\n    }}\n\n");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "ReadmeSnippets.cs"), $$"""
            using DepHealth.AspNetCore;
            using OpenTelemetry.Metrics;

            /// <summary>The C# blocks of the packed READMEs: compiled, never called.</summary>
            internal static class ReadmeSnippets
            {
            {{methods}}}
            """);
        await PackFixture.Run("dotnet", ["build", "-c", "Debug", "--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"], directory, TimeSpan.FromMinutes(5));
        return new ConsumerApp(directory, snippets);
    }

    /// <summary>Runs the built app on a free port with configuration given as <c>--key=value</c> arguments.</summary>
    public Task<RunningApp> StartAsync(params string[] arguments) => RunningApp.StartAsync(Dll, arguments);

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
