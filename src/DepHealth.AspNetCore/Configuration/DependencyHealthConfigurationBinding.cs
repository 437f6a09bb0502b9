using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Binds the <c>DependencyHealth</c> section strictly, and turns what the binder refuses (a misspelt key, a value that
/// does not convert) into errors the options validator reports, key and rule, never the value: at startup an
/// <see cref="OptionsValidationException"/> instead of the binder's exception, on reload a rejected reload.
/// </summary>
internal sealed partial class DependencyHealthConfigurationBinding(IConfiguration section) : IConfigureOptions<DependencyHealthOptions>
{
    private const string Section = DependencyHealthOptions.SectionName;

    private static readonly string[] DependencyKeys = typeof(DependencyOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name != nameof(DependencyOptions.CheckerFactory))
        .Select(p => p.Name)
        .ToArray();

    public void Configure(DependencyHealthOptions options)
    {
        options.BindingErrors.Clear();
        var (typeOptions, unknown) = ReadDependencyKeys();
        options.BindingErrors.AddRange(unknown);
        try
        {
            // Keys found above are reported with their full path; the binder's own report would name only the type.
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = typeOptions.Count == 0 && unknown.Count == 0);
        }
        catch (InvalidOperationException exception)
        {
            options.BindingErrors.Add(BindingError(exception));
        }

        // A value that is no property is an option of the dependency's type: its checker factory validates it.
        foreach (var (dependency, key, value) in typeOptions)
        {
            if (options.Dependencies.TryGetValue(dependency, out var bound))
            {
                bound.Options.TryAdd(key, value);
            }
        }
    }

    private (List<(string Dependency, string Key, string Value)> TypeOptions, List<EndpointValidationError> Unknown) ReadDependencyKeys()
    {
        var typeOptions = new List<(string, string, string)>();
        var unknown = new List<EndpointValidationError>();
        foreach (var dependency in section.GetSection(nameof(DependencyHealthOptions.Dependencies)).GetChildren())
        {
            foreach (var key in dependency.GetChildren())
            {
                if (DependencyKeys.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (key.Value is { } value)
                {
                    typeOptions.Add((dependency.Key, key.Key, value));
                }
                else
                {
                    unknown.Add(new(
                        $"{Section}:Dependencies:{dependency.Key}:{key.Key}",
                        $"'{key.Key}' is not a dependency option (options: {string.Join(", ", DependencyKeys)}, or a single value the type's checker reads)"));
                }
            }
        }

        return (typeOptions, unknown);
    }

    /// <summary>The binder names the key and the target type; its message is never repeated, as it may quote the value.</summary>
    public static EndpointValidationError BindingError(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (ConversionMessage().Match(current.Message) is { Success: true } conversion)
            {
                var type = conversion.Groups["type"].Value;
                var inner = type.IndexOf("[System.", StringComparison.Ordinal);
                type = inner >= 0 ? type[(inner + 8)..].TrimEnd(']') : type.Replace("System.", string.Empty, StringComparison.Ordinal);
                return new(conversion.Groups["key"].Value, $"cannot be converted to {type}");
            }

            if (UnknownKeysMessage().Match(current.Message) is { Success: true } unknown)
            {
                return new(Section, $"unknown key(s) {unknown.Groups["keys"].Value} on {unknown.Groups["type"].Value}");
            }
        }

        return new(Section, $"the configuration could not be read ({exception.GetType().Name})");
    }

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionMessage();

    [GeneratedRegex(@"properties were not found on the instance of (?:[\w]+\.)*(?<type>\w+): (?<keys>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownKeysMessage();
}
