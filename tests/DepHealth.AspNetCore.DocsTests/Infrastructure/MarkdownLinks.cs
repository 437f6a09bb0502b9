using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>
/// The relative links of a Markdown document and the anchors its headings get on GitHub, so a link can be checked
/// against the file and heading it names.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>Each link target outside code (inline links, images, reference definitions) that names no scheme.</summary>
    public static IEnumerable<(int Line, string Target)> RelativeLinks(MarkdownDocument document)
    {
        foreach (var (line, text) in document.Prose)
        {
            var prose = CodeSpan().Replace(text, "");
            var targets = InlineLink().Matches(prose).Select(m => m.Groups["target"].Value)
                .Concat(ReferenceDefinition().Matches(prose).Select(m => m.Groups["target"].Value));
            foreach (var target in targets)
            {
                var bare = target.Trim('<', '>');
                if (!Scheme().IsMatch(bare))
                {
                    yield return (line, bare);
                }
            }
        }
    }

    /// <summary>The anchors of the document's headings, as GitHub makes them (lower case, punctuation dropped, repeats numbered).</summary>
    public static IReadOnlySet<string> Anchors(MarkdownDocument document)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in document.Prose)
        {
            var heading = Heading().Match(text);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
            }
        }

        return anchors;
    }

    /// <summary>What is wrong with a link from <paramref name="document"/>, or null when it names an existing file and heading.</summary>
    public static string? Problem(MarkdownDocument document, string target, Func<string, MarkdownDocument?> load)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : target[(hash + 1)..];

        var linked = document;
        if (pathPart.Length > 0)
        {
            var directory = Path.GetDirectoryName(document.Path.Replace('/', Path.DirectorySeparatorChar)) ?? "";
            var full = Path.GetFullPath(Path.Combine(Repo.Root, directory, pathPart));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return $"{pathPart} does not exist";
            }

            if (anchor is null || !full.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            linked = load(Path.GetRelativePath(Repo.Root, full).Replace(Path.DirectorySeparatorChar, '/'));
            if (linked is null)
            {
                return null;
            }
        }

        return anchor is null || Anchors(linked).Contains(anchor) ? null : $"{linked.Path} has no heading #{anchor}";
    }

    private static string Slug(string heading)
    {
        var text = InlineLinkText().Replace(heading, "$1");
        var slug = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target><[^>]*>|[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLinkText();
}
