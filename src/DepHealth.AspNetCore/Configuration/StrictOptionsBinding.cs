using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Binds the <c>DependencyHealth</c> section strictly: a value that cannot be converted or a misspelt key is an
/// <see cref="OptionsValidationException"/> naming the key and the target type, at startup and on reload. The value is
/// never repeated (it may be a secret), unlike the binder's own exceptions.
/// </summary>
internal sealed partial class StrictOptionsBinding(IConfiguration section) : IConfigureOptions<DependencyHealthOptions>
{
    public void Configure(DependencyHealthOptions options)
    {
        try
        {
            section.Bind(options, static binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DependencyHealthOptions), [Error(exception).ToString()]);
        }
    }

    /// <summary>The key and target type the binder names; the value is left out.</summary>
    public static EndpointValidationError Error(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var match = BinderMessage().Match(current.Message);
            if (match.Success)
            {
                var type = match.Groups["type"].Value;
                var inner = type.IndexOf("[System.", StringComparison.Ordinal);
                type = inner >= 0 ? type[(inner + 8)..].TrimEnd(']') : type.Replace("System.", string.Empty, StringComparison.Ordinal);
                return new(match.Groups["key"].Value, $"cannot be converted to {type}");
            }

            if (UnknownKeys().Match(current.Message) is { Success: true } unknown)
            {
                return new(DependencyHealthOptions.SectionName, $"unknown key(s) {unknown.Groups["keys"].Value} on {unknown.Groups["type"].Value}");
            }
        }

        return new(DependencyHealthOptions.SectionName, $"the configuration could not be read ({exception.GetType().Name})");
    }

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex BinderMessage();

    [GeneratedRegex(@"properties were not found on the instance of (?:[\w]+\.)*(?<type>\w+): (?<keys>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownKeys();
}
