using System.Reflection;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Paths in the repository: the nearest ancestor of the test binaries holding the solution file.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DepHealth.AspNetCore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DepHealth.AspNetCore.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>The absolute path of a repository path given as parts, or as one relative path written with <c>/</c>.</summary>
    public static string PathOf(params string[] parts) =>
        Path.Combine([Root, .. parts.SelectMany(part => part.Split('/', StringSplitOptions.RemoveEmptyEntries))]);

    /// <summary>The build configuration of these tests (Debug or Release), used to find the sample's binaries.</summary>
    public static string Configuration =>
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
