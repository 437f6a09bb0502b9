using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>
/// A Markdown file split the way CommonMark splits it as far as these tests need: fenced code blocks (backticks or
/// tildes, any indentation), and the prose lines outside them, where links and headings are read.
/// </summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(string path, IReadOnlyList<CodeFence> fences, IReadOnlyList<(int Line, string Text)> prose)
    {
        Path = path;
        Fences = fences;
        Prose = prose;
    }

    /// <summary>The repository-relative path, with <c>/</c>.</summary>
    public string Path { get; }

    public IReadOnlyList<CodeFence> Fences { get; }

    /// <summary>The lines outside code blocks, 1-based.</summary>
    public IReadOnlyList<(int Line, string Text)> Prose { get; }

    public static MarkdownDocument Load(string relativePath) =>
        Parse(relativePath, File.ReadAllText(Repo.PathOf(relativePath)));

    public static MarkdownDocument Parse(string path, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var fences = new List<CodeFence>();
        var prose = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = OpeningFence().Match(lines[i]);
            if (!open.Success || (open.Groups["fence"].Value[0] == '`' && open.Groups["info"].Value.Contains('`', StringComparison.Ordinal)))
            {
                prose.Add((i + 1, lines[i]));
                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var fence = open.Groups["fence"].Value;
            var content = new List<string>();
            var start = i;
            // An unclosed fence runs to the end of the file, as in CommonMark.
            for (i++; i < lines.Length && !IsClosing(lines[i], fence); i++)
            {
                content.Add(Unindent(lines[i], indent));
            }

            fences.Add(new CodeFence(open.Groups["info"].Value.Trim(), start + 1, content));
        }

        return new MarkdownDocument(path, fences, prose);
    }

    private static bool IsClosing(string line, string fence)
    {
        var trimmed = line.TrimStart();
        var run = trimmed.Length - trimmed.TrimStart(fence[0]).Length;
        return run >= fence.Length && trimmed[run..].Trim().Length == 0;
    }

    private static string Unindent(string line, int indent)
    {
        var spaces = line.Length - line.TrimStart(' ').Length;
        return line[Math.Min(spaces, indent)..];
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex OpeningFence();
}
