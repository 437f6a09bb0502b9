using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Binds the <c>DependencyHealth</c> section strictly, and turns what the binder refuses (a misspelt key, a value that
/// does not convert) into errors the options validator reports, key and rule, never the value: at startup an
/// <see cref="OptionsValidationException"/> instead of the binder's exception, on reload a rejected reload.
/// </summary>
internal sealed class DependencyHealthConfigurationBinding(IConfiguration section) : IConfigureOptions<DependencyHealthOptions>
{
    private const string Section = DependencyHealthOptions.SectionName;

    public void Configure(DependencyHealthOptions options)
    {
        options.BindingErrors.Clear();

        // A single value under a dependency that names no property is an option of the dependency's type: its checker
        // factory validates it. Everything else is checked against the options' shape before the binder sees it.
        var typeOptions = new List<(string Dependency, string Key, string Value)>();
        ConfigurationShape.Check(section, typeof(DependencyHealthOptions), options.BindingErrors, (type, value) =>
        {
            if (type != typeof(DependencyOptions) || section.GetSection(nameof(DependencyHealthOptions.Dependencies)).GetChildren().FirstOrDefault(d => value.Path.StartsWith(d.Path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)) is not { } dependency)
            {
                return false;
            }

            typeOptions.Add((dependency.Key, value.Key, value.Value!));
            return true;
        });
        if (options.BindingErrors.Count > 0)
        {
            return;
        }

        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            options.BindingErrors.Add(BindingError(exception));
        }

        foreach (var (dependency, key, value) in typeOptions)
        {
            if (options.Dependencies.TryGetValue(dependency, out var bound))
            {
                bound.Options.TryAdd(key, value);
            }
        }
    }

    /// <summary>A failure the shape check did not foresee; the exception's message is never repeated, as it may quote a value.</summary>
    public static EndpointValidationError BindingError(Exception exception) =>
        new(Section, $"the configuration could not be read ({exception.GetType().Name})");
}
