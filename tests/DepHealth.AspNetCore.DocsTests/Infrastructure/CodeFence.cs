namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>A fenced code block of a Markdown file.</summary>
/// <param name="Info">The info string after the opening fence, trimmed (<c>csharp</c>, <c>bash</c>, empty).</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Lines">The block's content lines, the fence's indentation removed.</param>
internal sealed record CodeFence(string Info, int FenceLine, IReadOnlyList<string> Lines)
{
    /// <summary>The first word of the info string: the block's language.</summary>
    public string Language => Info.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    /// <summary>The 1-based line of the first content line.</summary>
    public int FirstLine => FenceLine + 1;
}
