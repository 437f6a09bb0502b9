using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>What <c>dotnet pack</c> produces for each src project, and an app built from the packed core package.</summary>
[Trait("Category", "integration")]
public sealed class PackageTests(PackFixture pack) : IClassFixture<PackFixture>
{
    private static readonly Guid SourceLinkId = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static XElement Metadata(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var nuspec = XDocument.Load(stream);
        return nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private static byte[] Read(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not in the package: {string.Join(", ", archive.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_has_readme_license_expression_and_xml_docs(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var metadata = Metadata(package);
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");

        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.NotEmpty(Read(package, "README.md"));
        Assert.Equal(("expression", "Apache-2.0"), ((string?)license.Attribute("type"), license.Value));
        Assert.Contains("<member name=", Encoding.UTF8.GetString(Read(package, $"lib/net10.0/{project}.xml")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_records_the_repository_and_commit(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var repository = Metadata(package).Elements().Single(e => e.Name.LocalName == "repository");

        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Equal(PackFixture.RepositoryUrl + ".git", (string?)repository.Attribute("url"));
        Assert.Equal(pack.Commit, (string?)repository.Attribute("commit"));
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Assembly_is_deterministic(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        using var pe = new PEReader(new MemoryStream(Read(package, $"lib/net10.0/{project}.dll")));

        Assert.Contains(pe.ReadDebugDirectory(), e => e.Type == DebugDirectoryEntryType.Reproducible);
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Symbol_package_maps_every_source_file_to_the_repository_commit(string project)
    {
        using var symbols = ZipFile.OpenRead(pack.PackagePath(project, "snupkg"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Read(symbols, $"lib/net10.0/{project}.pdb")));
        var pdb = provider.GetMetadataReader();
        var documents = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).ToArray();
        var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .Where(c => pdb.GetGuid(c.Kind) == SourceLinkId)
            .Select(c => Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value)))
            .SingleOrDefault();

        // ContinuousIntegrationBuild maps local paths to /_/ ; SourceLink maps /_/ to the commit's raw files.
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.StartsWith("/_/", d, StringComparison.Ordinal));
        Assert.NotNull(sourceLink);
        Assert.Contains($"https://raw.githubusercontent.com/dephealth-aspnetcore/dephealth-aspnetcore/{pack.Commit}/*", sourceLink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throwaway_app_runs_on_the_packed_core_package()
    {
        var app = Path.Combine(pack.Directory, "throwaway");
        Directory.CreateDirectory(app);
        // Stop MSBuild from importing anything above the temporary folder.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(app, file), "<Project />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="dephealth-packed" value="{pack.Feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Throwaway.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DepHealth.AspNetCore" Version="[{pack.Version}]" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using DepHealth.AspNetCore;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddDependencyHealth(o =>
                {
                    o.Name = "throwaway";
                    o.Group = "ci";
                    o.InitialDelay = TimeSpan.Zero;
                    o.CheckInterval = TimeSpan.FromSeconds(1);
                    o.Timeout = TimeSpan.FromMilliseconds(500);
                })
                .AddTcp("local-tcp", "127.0.0.1", int.Parse(builder.Configuration["DepPort"]!), critical: true);
            var app = builder.Build();
            app.MapDependencyHealthProbes();
            app.MapDependencyHealthMetrics();
            app.MapDependencyHealthDetails();
            app.MapDependencyHealthDashboard();
            app.Run();
            """);
        await PackFixture.Run("dotnet", ["build", "-c", "Debug", "--nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false"], app, TimeSpan.FromMinutes(5));

        using var dependency = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        dependency.Start();
        var dependencyPort = ((System.Net.IPEndPoint)dependency.LocalEndpoint).Port;
        var port = LocalPorts.Unused();
        using var process = new BackgroundProcess("dotnet", [
            "exec", Path.Combine(app, "bin", "Debug", "net10.0", "Throwaway.dll"), "--urls", $"http://127.0.0.1:{port}", $"--DepPort={dependencyPort}",
        ], app);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var ready = await Eventually.ValueAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"the throwaway app exited:\n{process.Output}");
                using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            },
            r => r.Item1 == 200,
            "the throwaway app is ready",
            TimeSpan.FromSeconds(60));
        var metrics = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var page = await client.GetStringAsync(new Uri("health/ui", UriKind.Relative));

        Assert.Contains("\"status\":\"healthy\"", ready.Item2, StringComparison.Ordinal);
        Assert.Contains($"app_dependency_health{{name=\"throwaway\",group=\"ci\",dependency=\"local-tcp\",type=\"tcp\",host=\"127.0.0.1\",port=\"{dependencyPort}\",critical=\"yes\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("<title>Dependency health", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app, "obj", "project.assets.json")) && (await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"))).Contains($"DepHealth.AspNetCore/{pack.Version}", StringComparison.Ordinal),
            "the app restored the packed version");
    }
}
