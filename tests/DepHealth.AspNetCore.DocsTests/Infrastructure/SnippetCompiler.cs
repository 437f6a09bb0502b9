using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DepHealth.AspNetCore.DocsTests.Infrastructure;

/// <summary>
/// Compiles a <c>csharp</c> block the way docs/testing.md describes: as the top-level statements of a Program.cs that
/// starts with <c>var builder = WebApplication.CreateBuilder(args);</c>, with the web SDK's implicit usings and
/// <c>DepHealth.AspNetCore</c> in scope, against the reference assemblies this test project compiles against.
/// </summary>
internal static partial class SnippetCompiler
{
    public const string TemplateLine = "var builder = WebApplication.CreateBuilder(args);";

    public static readonly IReadOnlyList<string> GlobalUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        "DepHealth.AspNetCore",
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // As the .NET SDK does (NoWarn 1701;1702): a package built for an older framework unifies to this one's assemblies.
    private static readonly Dictionary<string, ReportDiagnostic> SdkSuppressed = new()
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    [
        .. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "snippet-references.txt"))
            .Where(l => l.Length > 0)
            .Select(l => MetadataReference.CreateFromFile(l)),
    ]);

    private static readonly Lazy<SyntaxTree> UsingsTree = new(() => CSharpSyntaxTree.ParseText(
        string.Concat(GlobalUsings.Select(u => $"global using {u};\n")), ParseOptions, path: "(snippet template usings)"));

    /// <summary>The errors and warnings of one snippet, each as <c>file:line:column: severity id: message</c>.</summary>
    public static IReadOnlyList<string> Compile(string file, CodeFence fence)
    {
        var source = Source(file, fence);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "(snippet template)", encoding: Encoding.UTF8);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [UsingsTree.Value, tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkSuppressed));

        return
        [
            .. compilation.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning)
                .Select(Format),
        ];
    }

    /// <summary>The generated Program.cs; <c>#line</c> maps the snippet's lines back to the Markdown file.</summary>
    public static string Source(string file, CodeFence fence)
    {
        var lines = fence.Lines;
        var leading = 0;
        while (leading < lines.Count && IsLeadingDirective(lines[leading]))
        {
            leading++;
        }

        // Blank lines and comments after the last using belong to the body.
        while (leading > 0 && !UsingDirective().IsMatch(lines[leading - 1]))
        {
            leading--;
        }

        var quoted = file.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var source = new StringBuilder();
        if (leading > 0)
        {
            source.Append(CultureInfo.InvariantCulture, $"#line {fence.FirstLine} \"{quoted}\"\n");
            foreach (var line in lines.Take(leading))
            {
                source.Append(line).Append('\n');
            }

            source.Append("#line default\n");
        }

        source.Append(TemplateLine).Append('\n');
        source.Append(CultureInfo.InvariantCulture, $"#line {fence.FirstLine + leading} \"{quoted}\"\n");
        foreach (var line in lines.Skip(leading))
        {
            source.Append(line).Append('\n');
        }

        return source.ToString();
    }

    private static bool IsLeadingDirective(string line) =>
        line.Trim().Length == 0 || line.TrimStart().StartsWith("//", StringComparison.Ordinal) || UsingDirective().IsMatch(line);

    private static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var position = span.IsValid
            ? $"{span.Path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}"
            : "(no location)";
        var severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{position}: {severity} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }

    [GeneratedRegex(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
