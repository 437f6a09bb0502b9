using DepHealth.AspNetCore.DocsTests.Infrastructure;

namespace DepHealth.AspNetCore.DocsTests;

/// <summary>No C# block escapes the snippet tests by being fenced with another spelling of the language.</summary>
[Trait("Category", "unit")]
public sealed class FenceTests
{
    [Fact]
    public void Every_csharp_block_is_fenced_as_csharp()
    {
        var misfenced = DocFiles.All.SelectMany(Snippets.Misfenced).ToList();

        Assert.True(misfenced.Count == 0, string.Join('\n', misfenced));
    }
}
