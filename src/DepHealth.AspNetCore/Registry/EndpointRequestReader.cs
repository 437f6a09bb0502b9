using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Reads an endpoint from the registry API's JSON (a request body, or a stored value). Reading is strict: unknown
/// fields, wrong JSON types and missing required fields are errors that name the field.
/// </summary>
internal static class EndpointRequestReader
{
    private static readonly string[] Known =
    [
        "dependency", "type", "host", "port", "critical", "labels", "checkInterval", "timeout", "initialDelay",
        "failureThreshold", "successThreshold", "options",
    ];

    public static EndpointSpec? Read(JsonElement root, List<EndpointValidationError> errors)
    {
        try
        {
            return ReadObject(root, errors);
        }
        catch (InvalidOperationException)
        {
            // A name or string that cannot become a .NET string: invalid UTF-8 or a lone surrogate escape such as \ud800.
            errors.Add(new("body", "holds a string that is not valid Unicode (invalid UTF-8 or a lone surrogate escape such as \\ud800)"));
            return null;
        }
    }

    private static EndpointSpec? ReadObject(JsonElement root, List<EndpointValidationError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("body", "must be a JSON object"));
            return null;
        }

        var fields = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new(property.Name, $"is not a known field (known: {string.Join(", ", Known)})"));
            }
            else if (!fields.Add(property.Name))
            {
                // Which of two values would win is a parser detail: the request is ambiguous.
                errors.Add(new(property.Name, "is given more than once (field names are case-insensitive)"));
            }
        }

        var dependency = RequiredString(root, "dependency", errors);
        var type = RequiredString(root, "type", errors);
        var host = RequiredString(root, "host", errors);
        var port = Port(root, errors);
        var critical = Critical(root, errors);
        var labels = StringMap(root, "labels", errors, nested: false);
        var options = StringMap(root, "options", errors, nested: true);
        var checkInterval = Duration(root, "checkInterval", errors);
        var timeout = Duration(root, "timeout", errors);
        var initialDelay = Duration(root, "initialDelay", errors);
        var failureThreshold = Integer(root, "failureThreshold", errors);
        var successThreshold = Integer(root, "successThreshold", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new EndpointSpec
        {
            Dependency = dependency!,
            Type = type!,
            Host = host!,
            Port = port!.Value,
            Critical = critical!.Value,
            Labels = labels ?? FrozenDictionary<string, string>.Empty,
            Options = options ?? FrozenDictionary<string, string>.Empty,
            CheckInterval = checkInterval,
            Timeout = timeout,
            InitialDelay = initialDelay,
            FailureThreshold = failureThreshold,
            SuccessThreshold = successThreshold,
        };
    }

    /// <summary>The API field for a validator field: spec fields in camelCase, labels as <c>labels.x</c>, the rest as options.</summary>
    public static string ApiField(string field)
    {
        if (field.StartsWith("Labels:", StringComparison.Ordinal))
        {
            return "labels." + field["Labels:".Length..];
        }

        return field switch
        {
            "Dependency" or "Type" or "Host" or "Port" or "Critical" or "CheckInterval" or "Timeout" or "InitialDelay"
                or "FailureThreshold" or "SuccessThreshold" => char.ToLowerInvariant(field[0]) + field[1..],
            "Endpoint" or "body" => "body",
            "Labels" => "labels",
            "Options" => "options",
            _ when char.IsLower(field[0]) => field,
            _ => "options." + field.Replace(':', '.'),
        };
    }

    private static bool TryGet(JsonElement root, string name, out JsonElement value)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return value.ValueKind != JsonValueKind.Null;
            }
        }

        value = default;
        return false;
    }

    private static string? RequiredString(JsonElement root, string name, List<EndpointValidationError> errors)
    {
        if (!TryGet(root, name, out var value))
        {
            errors.Add(new(name, "is required"));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(name, "must be a string"));
            return null;
        }

        return value.GetString();
    }

    private static int? Port(JsonElement root, List<EndpointValidationError> errors)
    {
        if (!TryGet(root, "port", out var value))
        {
            errors.Add(new("port", "is required"));
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number is >= 1 and <= 65535)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && Addressing.EndpointAddressParser.TryParsePort(value.GetString(), out var parsed))
        {
            return parsed;
        }

        errors.Add(new("port", "must be an integer from 1 to 65535"));
        return null;
    }

    private static bool? Critical(JsonElement root, List<EndpointValidationError> errors)
    {
        if (!TryGet(root, "critical", out var value))
        {
            errors.Add(new("critical", "is required: true or false"));
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(new("critical", "must be true or false"));
        return null;
    }

    private static TimeSpan? Duration(JsonElement root, string name, List<EndpointValidationError> errors)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is >= 0 and <= 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (value.ValueKind == JsonValueKind.String
            && TimeSpan.TryParseExact(value.GetString(), "c", CultureInfo.InvariantCulture, out var parsed)
            && parsed >= TimeSpan.Zero)
        {
            return parsed;
        }

        errors.Add(new(name, "must be a duration: a TimeSpan string such as \"00:00:05\" or a number of seconds"));
        return null;
    }

    private static int? Integer(JsonElement root, string name, List<EndpointValidationError> errors)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add(new(name, "must be an integer"));
        return null;
    }

    private static FrozenDictionary<string, string>? StringMap(JsonElement root, string name, List<EndpointValidationError> errors, bool nested)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(name, "must be an object of string values"));
            return null;
        }

        var comparer = nested ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var map = new Dictionary<string, string>(comparer);
        foreach (var property in value.EnumerateObject())
        {
            if (nested && Known.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                // Said here, as the validator's field for such a key would read as the endpoint field itself.
                errors.Add(new($"{name}.{property.Name}", $"is an endpoint field, not an option: give it as the top-level field {char.ToLowerInvariant(property.Name[0])}{property.Name[1..]}"));
            }
            else if (map.ContainsKey(property.Name))
            {
                errors.Add(new($"{name}.{property.Name}", nested ? "is given more than once (option keys are case-insensitive)" : "is given more than once"));
            }
            else if (property.Value.ValueKind == JsonValueKind.String)
            {
                map[property.Name] = property.Value.GetString()!;
            }
            else if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False && nested)
            {
                map[property.Name] = property.Value.GetBoolean() ? "true" : "false";
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && nested)
            {
                foreach (var inner in property.Value.EnumerateObject())
                {
                    if (inner.Value.ValueKind != JsonValueKind.String)
                    {
                        errors.Add(new($"{name}.{property.Name}.{inner.Name}", "must be a string"));
                        continue;
                    }

                    if (!map.TryAdd($"{property.Name}:{inner.Name}", inner.Value.GetString()!))
                    {
                        errors.Add(new($"{name}.{property.Name}.{inner.Name}", "is given more than once (option keys are case-insensitive)"));
                    }
                }
            }
            else
            {
                errors.Add(new($"{name}.{property.Name}", "must be a string"));
            }
        }

        return map.ToFrozenDictionary(comparer);
    }
}
