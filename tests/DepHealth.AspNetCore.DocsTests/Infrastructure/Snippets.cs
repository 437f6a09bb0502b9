namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>Every <c>csharp</c> block of the documentation, named <c>file:line</c> by its opening fence.</summary>
internal static class Snippets
{
    public const string Language = "csharp";

    private static readonly Lazy<IReadOnlyDictionary<string, (string File, CodeFence Fence)>> ById = new(() =>
        DocFiles.All
            .SelectMany(d => d.Fences.Where(f => f.Language == Language).Select(f => (d.Path, f)))
            .ToDictionary(s => Id(s.Path, s.f), s => (s.Path, s.f), StringComparer.Ordinal));

    public static IEnumerable<string> Ids =>
        ById.Value.OrderBy(s => s.Value.File, StringComparer.Ordinal).ThenBy(s => s.Value.Fence.FenceLine).Select(s => s.Key);

    public static (string File, CodeFence Fence) Get(string id) => ById.Value[id];

    public static string Id(string file, CodeFence fence) => $"{file}:{fence.FenceLine}";

    /// <summary>C# blocks fenced with another spelling (<c>cs</c>, <c>c#</c>, <c>C#</c>, <c>CSharp</c>), which would not be compiled.</summary>
    public static IEnumerable<string> Misfenced(MarkdownDocument document) =>
        document.Fences
            .Where(f => f.Language != Language && Aliases.Contains(f.Language))
            .Select(f => $"{Id(document.Path, f)}: fenced as '{f.Language}', write '{Language}' so that it is compiled");

    private static readonly HashSet<string> Aliases = new(["cs", "c#", "csharp", "c-sharp", "dotnet"], StringComparer.OrdinalIgnoreCase);
}
