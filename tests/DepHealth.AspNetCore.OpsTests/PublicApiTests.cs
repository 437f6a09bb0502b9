using System.Reflection;
using System.Text;
using DepHealth.AspNetCore.OpsTests.Infrastructure;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>
/// The public surface of every package is approved: <c>src/&lt;Project&gt;/PublicAPI.approved.txt</c>. A change fails with a
/// diff and writes <c>PublicAPI.received.txt</c> beside it; run with <c>DEPHEALTH_ACCEPT_API=1</c> to accept it.
/// </summary>
[Trait("Category", "integration")]
public sealed class PublicApiTests
{
    [Theory]
    [MemberData(nameof(SourceProjects.All), MemberType = typeof(SourceProjects))]
    public async Task Public_api_matches_the_approved_file(string project)
    {
        var assembly = Assembly.Load(new AssemblyName(project));
        var received = PublicApiListing.Render(assembly);
        var approvedPath = Repo.PathOf("src", project, "PublicAPI.approved.txt");
        var receivedPath = Repo.PathOf("src", project, "PublicAPI.received.txt");

        if (Environment.GetEnvironmentVariable("DEPHEALTH_ACCEPT_API") == "1" && Environment.GetEnvironmentVariable("CI") != "true")
        {
            await File.WriteAllTextAsync(approvedPath, received);
        }

        var approved = File.Exists(approvedPath) ? (await File.ReadAllTextAsync(approvedPath)).ReplaceLineEndings("\n") : "";
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        await File.WriteAllTextAsync(receivedPath, received);
        Assert.Fail($"""
            The public API of {project} differs from src/{project}/PublicAPI.approved.txt (written: PublicAPI.received.txt).
            If the change is intended: DEPHEALTH_ACCEPT_API=1 dotnet test tests/DepHealth.AspNetCore.OpsTests --filter PublicApi
            {Diff(approved, received)}
            """);
    }

    [Fact]
    public void Listing_shows_nullability_defaults_and_modifiers()
    {
        var listing = PublicApiListing.Render(typeof(IDependencyHealthBuilder).Assembly);

        Assert.Contains(
            "static Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapDependencyHealthDashboard(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = \"/health/ui\", string detailsPattern = \"/health/details\")",
            listing, StringComparison.Ordinal);
        Assert.Contains("string? Name { get; set; }", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("DashboardAssets", listing, StringComparison.Ordinal);
    }

    /// <summary>A unified-style line diff (longest common subsequence), unchanged lines left out.</summary>
    private static string Diff(string approved, string received)
    {
        var a = approved.Split('\n');
        var b = received.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var text = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                text.Append("+ ").Append(b[y++]).Append('\n');
            }
            else
            {
                text.Append("- ").Append(a[x++]).Append('\n');
            }
        }

        return text.ToString();
    }
}
