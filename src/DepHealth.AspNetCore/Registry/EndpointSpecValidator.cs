using System.Globalization;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Registry;

/// <summary>Checks an endpoint spec against the contract's rules; the same rules for options, configuration and the registry.</summary>
internal static class EndpointSpecValidator
{
    private static readonly string[] ReservedLabels =
        ["name", "group", "dependency", "type", "host", "port", "critical", "status", "detail", "le"];

    public const string NameRule = "must match [a-z][a-z0-9-]* and be 1 to 63 characters";

    public static bool IsValidName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > ContractLimits.MaxNameLength || !char.IsAsciiLetterLower(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidLabelName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Validates the spec's own fields and the effective settings; returns the effective settings.</summary>
    public static CheckSettings Validate(EndpointSpec spec, DependencyHealthOptions global, List<EndpointValidationError> errors)
    {
        if (!IsValidName(spec.Dependency))
        {
            errors.Add(new("Dependency", spec.Dependency is { Length: > 0 } ? $"'{Trim(spec.Dependency)}' {NameRule}" : "is required"));
        }

        if (!DependencyTypes.IsKnown(spec.Type))
        {
            errors.Add(new("Type", $"'{Trim(spec.Type)}' is unknown: must be one of {string.Join(", ", DependencyTypes.All)}"));
        }

        if (!EndpointAddressParser.IsValidHost(spec.Host ?? string.Empty, out var hostError))
        {
            errors.Add(new("Host", hostError!));
        }

        if (spec.Port is < 1 or > 65535)
        {
            errors.Add(new("Port", string.Create(CultureInfo.InvariantCulture, $"{spec.Port} is out of range: must be 1 to 65535")));
        }

        ValidateLabels(spec.Labels, "Labels", errors);
        EndpointLimits.Validate(spec, errors);
        ValidateUrl(spec, errors);
        return ValidateSettings(spec, global, errors);
    }

    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, string prefix, List<EndpointValidationError> errors)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (name, value) in labels)
        {
            var field = $"{prefix}:{name}";
            if (!IsValidLabelName(name))
            {
                errors.Add(new(field, "label name must match [a-zA-Z_][a-zA-Z0-9_]*"));
            }
            else if (ReservedLabels.Contains(name, StringComparer.Ordinal) || name.StartsWith("__", StringComparison.Ordinal))
            {
                errors.Add(new(field, $"label name '{name}' is reserved (name, group, dependency, type, host, port, critical, status, detail, le and names starting with __)"));
            }

            if (value is null)
            {
                errors.Add(new(field, "label value is required (omit the label instead)"));
            }
            else if (value.Length > EndpointLimits.MaxLabelValueLength)
            {
                errors.Add(new(field, $"label value must be at most {EndpointLimits.MaxLabelValueLength} characters"));
            }
            else if (HasLoneSurrogate(value))
            {
                errors.Add(new(field, "label value must be valid Unicode (no lone surrogate)"));
            }
        }
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var rest = value.AsSpan(); !rest.IsEmpty;)
        {
            if (System.Text.Rune.DecodeFromUtf16(rest, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return true;
            }

            rest = rest[consumed..];
        }

        return false;
    }

    /// <summary>A <c>Url</c> option must name the endpoint's own host and port: a check must never go elsewhere.</summary>
    public static void ValidateUrl(EndpointSpec spec, List<EndpointValidationError> errors)
    {
        if (spec.GetOption(CheckerOptionKeys.Url) is not { } url || !DependencyTypes.IsKnown(spec.Type))
        {
            return;
        }

        if (!EndpointAddressParser.TryParseUrl(url, spec.Type, out _, out var hosts, out var error))
        {
            errors.Add(new(CheckerOptionKeys.Url, error!));
        }
        else if (!hosts.Any(h => h.Port == spec.Port && string.Equals(h.Host, spec.Host, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new(CheckerOptionKeys.Url, "must name the endpoint's own host and port (the host and port fields, or the scheme's default port)"));
        }
    }

    public static CheckSettings ValidateSettings(EndpointSpec spec, DependencyHealthOptions global, List<EndpointValidationError> errors)
    {
        var settings = new CheckSettings(
            spec.CheckInterval ?? global.CheckInterval,
            spec.Timeout ?? global.Timeout,
            spec.InitialDelay ?? global.InitialDelay,
            spec.FailureThreshold ?? global.FailureThreshold,
            spec.SuccessThreshold ?? global.SuccessThreshold);

        ValidateSettings(settings, errors);
        return settings;
    }

    public static void ValidateSettings(CheckSettings settings, List<EndpointValidationError> errors)
    {
        Range(errors, "CheckInterval", settings.CheckInterval, ContractLimits.MinCheckInterval, ContractLimits.MaxCheckInterval);
        Range(errors, "Timeout", settings.Timeout, ContractLimits.MinTimeout, ContractLimits.MaxTimeout);
        Range(errors, "InitialDelay", settings.InitialDelay, TimeSpan.Zero, ContractLimits.MaxInitialDelay);
        Range(errors, "FailureThreshold", settings.FailureThreshold, ContractLimits.MinThreshold, ContractLimits.MaxThreshold);
        Range(errors, "SuccessThreshold", settings.SuccessThreshold, ContractLimits.MinThreshold, ContractLimits.MaxThreshold);
        if (settings.Timeout >= settings.CheckInterval)
        {
            errors.Add(new("Timeout", $"{Format(settings.Timeout)} must be less than CheckInterval {Format(settings.CheckInterval)}"));
        }
    }

    public static void Range(List<EndpointValidationError> errors, string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(field, $"{Format(value)} is out of range: must be from {Format(min)} to {Format(max)}"));
        }
    }

    public static void Range(List<EndpointValidationError> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range: must be from {min} to {max}")));
        }
    }

    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Trim(string? value) => value is null ? string.Empty : value.Length > 70 ? value[..70] + "…" : value;
}
