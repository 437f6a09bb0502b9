namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>The documentation whose snippets and links are checked: README.md and every docs/**/*.md.</summary>
internal static class DocFiles
{
    private static readonly Lazy<IReadOnlyList<MarkdownDocument>> Documents = new(() =>
    [
        .. Paths().Select(MarkdownDocument.Load),
    ]);

    public static IReadOnlyList<MarkdownDocument> All => Documents.Value;

    public static IReadOnlyList<string> Paths() =>
    [
        "README.md",
        .. Directory.GetFiles(Repo.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repo.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static MarkdownDocument Get(string path) => All.Single(d => d.Path == path);
}
