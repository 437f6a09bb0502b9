using DepHealth.AspNetCore.OpsTests.Infrastructure;
using System.Reflection;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// The public surface of every package is declared to Microsoft.CodeAnalysis.PublicApiAnalyzers in
/// <c>src/&lt;Project&gt;/PublicAPI.Shipped.txt</c> and <c>PublicAPI.Unshipped.txt</c>, whose RS0016/RS0017 errors fail
/// the build on any undeclared change; these tests make sure that gate stays in place.
/// </summary>
[Trait("Category", "integration")]
public sealed class PublicApiTests
{
    private static readonly string[] ApiFiles = ["PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt"];

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Every_exported_type_is_declared_in_the_public_api_files(string project)
    {
        var declared = ApiFiles
            .SelectMany(file => File.ReadAllLines(Repo.PathOf("src", project, file)))
            .ToHashSet(StringComparer.Ordinal);

        var undeclared = Assembly.Load(new AssemblyName(project)).GetExportedTypes()
            .Select(DeclaredName)
            .Where(name => !declared.Contains(name))
            .ToList();

        Assert.True(undeclared.Count == 0, $"{project} exports types its PublicAPI files do not declare: {string.Join(", ", undeclared)}");
    }

    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public void Public_api_files_are_nullable_annotated(string project)
    {
        foreach (var file in ApiFiles)
        {
            Assert.Equal("#nullable enable", File.ReadLines(Repo.PathOf("src", project, file)).First());
        }
    }

    [Fact]
    public void Every_package_builds_with_the_analyzer_and_its_errors_are_not_silenced()
    {
        var props = File.ReadAllText(Repo.PathOf("src", "Directory.Build.props"));
        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", props, StringComparison.Ordinal);
        foreach (var file in ApiFiles)
        {
            Assert.Contains($"<AdditionalFiles Include=\"{file}\" />", props, StringComparison.Ordinal);
        }

        var editorConfig = File.ReadAllText(Repo.PathOf(".editorconfig"));
        Assert.DoesNotContain("RS0016.severity", editorConfig, StringComparison.Ordinal);
        Assert.DoesNotContain("RS0017.severity", editorConfig, StringComparison.Ordinal);
    }

    /// <summary>How the analyzer's files name a type: namespace-qualified, nested types with a dot, type parameters in angle brackets.</summary>
    private static string DeclaredName(Type type)
    {
        var name = type.IsNested ? $"{DeclaredName(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : $"{name[..tick]}<{string.Join(", ", type.GetGenericArguments().Select(a => a.Name))}>";
    }
}
