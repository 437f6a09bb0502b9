using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>A JSON file source whose provider keeps the file's last valid content when it becomes invalid, empty or missing.</summary>
internal sealed class LastGoodJsonConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LastGoodJsonConfigurationProvider(this);
    }
}

/// <summary>
/// Reads a JSON file like the plain JSON provider, but only a file that is present and valid replaces what it provides.
/// The plain provider empties its data when a reloaded file cannot be parsed or is gone (an editor's atomic save, a
/// deleted file); this one keeps the last valid content and adds <c>DependencyHealth:SourceErrors:&lt;file&gt;</c>. The
/// options validator rejects any configuration that carries a source error, so the reload fails as a whole, is counted
/// and logged, and the previous configuration keeps running; the next valid write clears the error. It owns its loading
/// and watching because <see cref="FileConfigurationProvider"/> handles a missing file without calling back.
/// </summary>
internal sealed class LastGoodJsonConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly FileConfigurationSource _source;
    private readonly IDisposable? _watch;
    private readonly Lock _gate = new();
    private IDictionary<string, string?> _lastGood = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
    private bool _loaded;

    public LastGoodJsonConfigurationProvider(FileConfigurationSource source)
    {
        _source = source;
        var path = source.Path ?? string.Empty;
        var physical = source.FileProvider is PhysicalFileProvider files ? System.IO.Path.Combine(files.Root, path) : path;
        ErrorKey = $"{DependencyHealthOptions.SectionName}:SourceErrors:{physical.Replace(':', '_')}";
        if (source.ReloadOnChange && source.FileProvider is { } provider)
        {
            _watch = ChangeToken.OnChange(() => provider.Watch(path), OnFileChanged);
        }
    }

    /// <summary>The configuration key that reports this file's load failure; the same whether the file exists or not.</summary>
    public string ErrorKey { get; }

    public override void Load()
    {
        lock (_gate)
        {
            Data = Read();
            _loaded = true;
        }
    }

    public void Dispose() => _watch?.Dispose();

    private void OnFileChanged()
    {
        // As the file provider does: give the writer a moment to finish before reading.
        Thread.Sleep(_source.ReloadDelay);
        Load();
        OnReload();
    }

    private IDictionary<string, string?> Read()
    {
        var file = _source.FileProvider?.GetFileInfo(_source.Path ?? string.Empty);
        if (file is null || !file.Exists)
        {
            return Missing();
        }

        string text;
        try
        {
            using var stream = file.PhysicalPath is { } physical
                ? new FileStream(physical, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan)
                : file.CreateReadStream();
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            // Gone between the look and the read (a rename in progress).
            return Missing();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return KeepLastGood($"the file cannot be read ({exception.GetType().Name})");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return KeepLastGood("the file is empty; to remove every dependency it declares, write {}");
        }

        try
        {
            _lastGood = JsonText.Parse(text);
            return _lastGood;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            // The parser's message names the line and position, never the content.
            var reason = exception.InnerException is JsonException json ? json.Message : exception.Message;
            return KeepLastGood($"the file is not valid JSON ({reason})");
        }
    }

    /// <summary>Missing at startup is what <see cref="FileConfigurationSource.Optional"/> says; missing later keeps the last content.</summary>
    private Dictionary<string, string?> Missing()
    {
        if (_loaded)
        {
            return KeepLastGood("the file is missing; to remove every dependency it declares, write {}");
        }

        if (_source.Optional)
        {
            return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        }

        throw new FileNotFoundException($"The configuration file '{_source.Path}' was not found and is not optional.", _source.Path);
    }

    private Dictionary<string, string?> KeepLastGood(string reason) =>
        new(_lastGood, StringComparer.OrdinalIgnoreCase) { [ErrorKey] = $"{reason}; its last valid content is kept" };

    /// <summary>Parses JSON text into configuration keys exactly as <c>AddJsonFile</c> does.</summary>
    private sealed class JsonText() : JsonStreamConfigurationProvider(new JsonStreamConfigurationSource())
    {
        public static IDictionary<string, string?> Parse(string text)
        {
            var parser = new JsonText();
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            parser.Load(stream);
            return parser.Data;
        }
    }
}
