namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>Paths in the repository: the nearest ancestor of the test binaries holding the solution file.</summary>
internal static class Repo
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

    /// <summary>The absolute path of a repository-relative path written with <c>/</c>.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
}
