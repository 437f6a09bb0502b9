namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>The package projects: every <c>src/*/*.csproj</c>, by project name (the assembly and package id).</summary>
public static class SourceProjects
{
    public static IReadOnlyList<string> Names() =>
        [.. Directory.GetDirectories(Repo.PathOf("src"))
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names())
        {
            data.Add(name);
        }

        return data;
    }

    public static string ProjectFile(string name) => Repo.PathOf("src", name, name + ".csproj");
}
