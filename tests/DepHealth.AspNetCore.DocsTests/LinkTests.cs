using DepHealth.AspNetCore.DocsTests.Infrastructure;

namespace DepHealth.AspNetCore.DocsTests;

/// <summary>Relative links of README.md and docs/ name files that exist, and headings those files have.</summary>
[Trait("Category", "unit")]
public sealed class LinkTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var path in DocFiles.Paths())
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Relative_links_point_at_existing_files_and_headings(string file)
    {
        var document = DocFiles.Get(file);

        var broken = MarkdownLinks.RelativeLinks(document)
            .Select(l => (l.Line, l.Target, Problem: MarkdownLinks.Problem(document, l.Target, Load)))
            .Where(l => l.Problem is not null)
            .Select(l => $"{file}:{l.Line}: ({l.Target}) {l.Problem}")
            .ToList();

        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    private static MarkdownDocument? Load(string path) =>
        DocFiles.All.FirstOrDefault(d => d.Path == path) ?? (File.Exists(Repo.PathOf(path)) ? MarkdownDocument.Load(path) : null);
}
