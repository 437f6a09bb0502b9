using System.Text.Encodings.Web;
using System.Text.Json;

namespace DepHealth.AspNetCore.Text;

/// <summary>The writer options every JSON document of the package is written with.</summary>
internal static class JsonOutput
{
    // Values are escaped by the writer's own rules for JSON, not for HTML: the documents are never embedded in a page.
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };
}
