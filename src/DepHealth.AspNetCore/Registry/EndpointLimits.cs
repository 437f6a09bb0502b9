using System.Globalization;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// What one endpoint may carry, the same for options, configuration and the registry API: every label is printed on
/// each of the endpoint's series lines, so the label bounds keep a scrape small; the option bounds keep a spec (and
/// the requests a checker sends) within what servers accept.
/// </summary>
internal static class EndpointLimits
{
    public const int MaxLabels = 32;
    public const int MaxLabelValueLength = 256;
    public const int MaxOptions = 64;
    public const int MaxOptionKeyLength = 128;

    // Fits long connection strings and JWT bearer tokens; servers refuse larger header fields anyway (8 KiB by default).
    public const int MaxOptionValueLength = 8192;

    // Headers:<name> and Metadata:<key> entries together.
    public const int MaxHeaders = 32;

    public static void Validate(EndpointSpec spec, List<EndpointValidationError> errors)
    {
        if (spec.Labels is { Count: > MaxLabels } labels)
        {
            errors.Add(new("Labels", Count($"at most {MaxLabels} custom labels per endpoint", labels.Count)));
        }

        var options = spec.Options;
        if (options is null)
        {
            return;
        }

        if (options.Count > MaxOptions)
        {
            errors.Add(new("Options", Count($"at most {MaxOptions} options per endpoint", options.Count)));
        }

        var headers = 0;
        foreach (var (key, value) in options)
        {
            if (key.StartsWith(CheckerOptionKeys.Headers + ":", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith(CheckerOptionKeys.Metadata + ":", StringComparison.OrdinalIgnoreCase))
            {
                headers++;
            }

            if (key.Length > MaxOptionKeyLength)
            {
                errors.Add(new(key[..MaxOptionKeyLength] + "…", $"option key must be at most {MaxOptionKeyLength} characters"));
            }
            else if (value is null)
            {
                errors.Add(new(key, "option value is required (omit the option instead)"));
            }
            else if (value.Length > MaxOptionValueLength)
            {
                errors.Add(new(key, $"must be at most {MaxOptionValueLength} characters"));
            }
        }

        if (headers > MaxHeaders)
        {
            errors.Add(new("Options", Count($"at most {MaxHeaders} Headers:<name> and Metadata:<key> entries per endpoint", headers)));
        }
    }

    private static string Count(string rule, int given) => string.Create(CultureInfo.InvariantCulture, $"{rule} ({given} given)");
}
