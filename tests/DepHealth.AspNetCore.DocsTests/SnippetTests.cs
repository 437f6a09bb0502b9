using DepHealth.AspNetCore.DocsTests.Infrastructure;

namespace DepHealth.AspNetCore.DocsTests;

/// <summary>Every <c>csharp</c> block of README.md and docs/ compiles against the packages, so the docs follow the API.</summary>
[Trait("Category", "unit")]
public sealed class SnippetTests
{
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var id in Snippets.Ids)
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Snippet_compiles(string snippet)
    {
        var (file, fence) = Snippets.Get(snippet);

        var diagnostics = SnippetCompiler.Compile(file, fence);

        Assert.True(diagnostics.Count == 0, $"{snippet} does not compile:\n{string.Join('\n', diagnostics)}");
    }
}
