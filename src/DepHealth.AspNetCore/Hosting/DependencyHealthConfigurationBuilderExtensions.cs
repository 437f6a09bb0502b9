using DepHealth.AspNetCore.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Configuration sources for dependency health.</summary>
public static class DependencyHealthConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds a JSON file of dependencies (for example <c>{"DependencyHealth":{"Dependencies":{…}}}</c>) that is safe to
    /// edit while the application runs: only a file that is present and valid applies. A write that leaves invalid JSON,
    /// an empty or whitespace-only file, or a file that disappears (deleted, or renamed away by an editor's atomic save)
    /// keeps the file's last valid content and makes the reload fail as a whole (logged with the key
    /// <c>DependencyHealth:SourceErrors:&lt;path&gt;</c> and counted in
    /// <c>app_dependency_config_reloads_total{result="failure"}</c>), where the plain JSON provider would silently
    /// drop the file's content; the file applies again once it is back and valid. To remove every dependency on
    /// purpose, write <c>{}</c>. A file missing at startup is empty when <paramref name="optional"/>.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="path">The file, absolute or relative to the builder's base path.</param>
    /// <param name="optional">Whether the file may be missing.</param>
    /// <param name="reloadOnChange">Whether to reload when the file changes.</param>
    public static IConfigurationBuilder AddDependencyHealthJsonFile(
        this IConfigurationBuilder builder, string path, bool optional = true, bool reloadOnChange = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = new LastGoodJsonConfigurationSource
        {
            Path = path,
            Optional = optional,
            ReloadOnChange = reloadOnChange,
        };
        source.ResolveFileProvider();
        return builder.Add(source);
    }
}
