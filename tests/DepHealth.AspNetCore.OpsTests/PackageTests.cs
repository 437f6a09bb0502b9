using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>What <c>dotnet pack</c> produces for each src project: metadata, readme, symbols.</summary>
[Trait("Category", "integration")]
[Collection(PackFixture.Collection)]
public sealed partial class PackageTests(PackFixture pack)
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

    private static string Text(ZipArchive archive, string path) => Encoding.UTF8.GetString(Read(archive, path));

    private static string ProjectProperty(string project, string name) =>
        XDocument.Load(SourceProjects.ProjectFile(project)).Descendants(name).Single().Value;

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

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_version_is_the_version_prefix_with_the_suffix_given_to_pack(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));

        Assert.Equal($"{PackFixture.VersionPrefix}-{pack.VersionSuffix}", Value(Metadata(package), "version"));
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_depends_on_the_other_packages_at_its_own_version(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var dependencies = Metadata(package).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Where(e => ((string?)e.Attribute("id"))!.StartsWith("DepHealth.", StringComparison.Ordinal))
            .Select(e => (string?)e.Attribute("version"));

        Assert.All(dependencies, version => Assert.Equal(pack.Version, version));
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_has_its_projects_description_and_tags(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var metadata = Metadata(package);

        Assert.Equal(ProjectProperty(project, "Description"), Value(metadata, "description"));
        Assert.Equal(ProjectProperty(project, "PackageTags").Split(';'), Value(metadata, "tags")!.Split(' '));
        Assert.Contains("dephealth", Value(metadata, "tags")!.Split(' '));
    }

    [Fact]
    public void Packages_have_distinct_descriptions()
    {
        var descriptions = SourceProjects.Names().Select(p =>
        {
            using var package = ZipFile.OpenRead(pack.PackagePath(p));
            return Value(Metadata(package), "description");
        }).ToList();

        Assert.Equal(descriptions.Count, descriptions.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_has_no_project_url(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));

        Assert.Null(Value(Metadata(package), "projectUrl"));
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_readme_is_the_projects_own(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var readme = Text(package, "README.md");

        Assert.StartsWith($"# {project}\n", readme, StringComparison.Ordinal);
        Assert.Equal(
            MarkdownLink().Replace(File.ReadAllText(Repo.PathOf("src", project, "README.md")), "[$1]()").TrimEnd(),
            MarkdownLink().Replace(readme, "[$1]()").TrimEnd());
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Package_readme_links_to_the_docs_at_the_packed_commit(string project)
    {
        using var package = ZipFile.OpenRead(pack.PackagePath(project));
        var links = MarkdownLink().Matches(Text(package, "README.md")).Select(m => m.Groups[2].Value).ToList();
        var prefix = $"{PackFixture.RepositoryUrl}/blob/{pack.Commit}/";

        Assert.Contains(links, l => l.StartsWith(prefix + "docs/", StringComparison.Ordinal));
        Assert.All(links, link =>
        {
            Assert.StartsWith(prefix, link, StringComparison.Ordinal);
            Assert.True(File.Exists(Repo.PathOf(link[prefix.Length..].Split('#')[0])), $"{link} names no file of the repository");
        });
    }

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex MarkdownLink();
}
