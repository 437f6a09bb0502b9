using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>A JSON file source whose provider keeps the file's last valid content when it becomes invalid.</summary>
internal sealed class LastGoodJsonConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LastGoodJsonConfigurationProvider(this);
    }
}

/// <summary>
/// Unlike the plain JSON provider, which empties its data when a reloaded file cannot be parsed, this one keeps the
/// last valid content and adds <c>DependencyHealth:SourceErrors:&lt;file&gt;</c>. The options validator rejects any
/// configuration that carries a source error, so the reload fails as a whole, is counted and logged, and the previous
/// configuration keeps running; the next valid write clears the error.
/// </summary>
internal sealed class LastGoodJsonConfigurationProvider(JsonConfigurationSource source) : JsonConfigurationProvider(source)
{
    private IDictionary<string, string?> _lastGood = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration key that reports this file's load failure.</summary>
    public string ErrorKey =>
        $"{DependencyHealthOptions.SectionName}:SourceErrors:{(Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty).PhysicalPath ?? Source.Path ?? "json").Replace(':', '_')}";

    public override void Load(Stream stream)
    {
        try
        {
            base.Load(stream);
            _lastGood = Data;
        }
        catch (FormatException exception)
        {
            // The parser's message names the line and position, never the content.
            var reason = exception.InnerException is JsonException json ? json.Message : exception.Message;
            Data = new Dictionary<string, string?>(_lastGood, StringComparer.OrdinalIgnoreCase)
            {
                [ErrorKey] = $"the file is not valid JSON ({reason}); its last valid content is kept",
            };
        }
    }
}
