namespace DepHealth.AspNetCore.BrowserTests.Infrastructure;

/// <summary>The repository root: the nearest ancestor of the test binaries holding the solution file.</summary>
public static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DepHealth.AspNetCore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DepHealth.AspNetCore.sln above {AppContext.BaseDirectory}.");
    }
}
