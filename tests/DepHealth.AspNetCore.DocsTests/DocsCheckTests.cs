using DepHealth.AspNetCore.DocsTests.Infrastructure;

namespace DepHealth.AspNetCore.DocsTests;

/// <summary>The checks themselves fail on broken documentation, and say where.</summary>
[Trait("Category", "unit")]
public sealed class DocsCheckTests
{
    [Fact]
    public void A_snippet_that_does_not_compile_is_reported_with_its_file_and_line()
    {
        var document = MarkdownDocument.Parse("docs/broken.md", "# Broken\n\n```csharp\nbuilder.Services.AddDependencyHealth()\n    .AddTcp(\"smtp\", \"mail.svc\", \"25\", critical: false);\n```\n");

        var diagnostics = SnippetCompiler.Compile(document.Path, document.Fences.Single());

        var error = Assert.Single(diagnostics);
        Assert.StartsWith("docs/broken.md:5:", error, StringComparison.Ordinal);
        Assert.Contains("error CS1503", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snippet_may_open_with_using_directives_before_its_statements()
    {
        var document = MarkdownDocument.Parse("docs/usings.md", "```csharp\nusing System.Text;\n\nvar text = new StringBuilder().Append(builder.Environment.EnvironmentName);\nConsole.WriteLine(text);\n```\n");

        var diagnostics = SnippetCompiler.Compile(document.Path, document.Fences.Single());

        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("cs")]
    [InlineData("c#")]
    [InlineData("C#")]
    public void A_csharp_block_fenced_with_another_spelling_is_reported(string language)
    {
        var document = MarkdownDocument.Parse("docs/fences.md", $"Intro\n\n```{language}\nvar x = 1;\n```\n");

        var misfenced = Assert.Single(Snippets.Misfenced(document));

        Assert.StartsWith("docs/fences.md:3:", misfenced, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_to_a_missing_file_is_reported()
    {
        var document = MarkdownDocument.Parse("docs/links.md", "See [the guide](no-such-page.md).\n");

        var (_, target) = Assert.Single(MarkdownLinks.RelativeLinks(document));

        Assert.Equal("no-such-page.md does not exist", MarkdownLinks.Problem(document, target, _ => null));
    }

    [Fact]
    public void A_link_to_a_missing_heading_is_reported()
    {
        var document = MarkdownDocument.Parse("docs/links.md", "## Live reload\n\nSee [reload](#live-reload) and [etcd](#etcd).\n");

        var problems = MarkdownLinks.RelativeLinks(document).Select(l => MarkdownLinks.Problem(document, l.Target, _ => null)).ToList();

        Assert.Equal([null, "docs/links.md has no heading #etcd"], problems);
    }

    [Fact]
    public void Links_inside_code_are_not_links()
    {
        var document = MarkdownDocument.Parse("docs/links.md", "`[a](missing.md)`\n\n```markdown\n[b](missing.md)\n```\n");

        Assert.Empty(MarkdownLinks.RelativeLinks(document));
    }
}
