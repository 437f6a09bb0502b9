using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Reads and writes endpoints as the registry API's JSON. Reading is strict: unknown fields, wrong JSON types and
/// missing required fields are errors that name the field. Writing never shows a secret option.
/// </summary>
internal static class EndpointSpecJson
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

    public static void Write(Utf8JsonWriter json, RegisteredEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        json.WriteStartObject();
        json.WriteString("dependency", spec.Dependency);
        json.WriteString("type", spec.Type);
        json.WriteString("host", spec.Host);
        json.WriteNumber("port", spec.Port);
        json.WriteBoolean("critical", spec.Critical);
        json.WriteStartObject("labels");
        foreach (var (name, value) in spec.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        json.WriteString("checkInterval", EndpointSpecValidator.Format(endpoint.Settings.CheckInterval));
        json.WriteString("timeout", EndpointSpecValidator.Format(endpoint.Settings.Timeout));
        json.WriteString("initialDelay", EndpointSpecValidator.Format(endpoint.Settings.InitialDelay));
        json.WriteNumber("failureThreshold", endpoint.Settings.FailureThreshold);
        json.WriteNumber("successThreshold", endpoint.Settings.SuccessThreshold);
        json.WriteString("source", endpoint.Source == EndpointSource.Configuration ? "configuration" : "runtime");
        json.WriteStartObject("options");
        foreach (var (key, value) in spec.Options.OrderBy(o => o.Key, StringComparer.OrdinalIgnoreCase))
        {
            json.WriteString(key, SecretRedaction.Option(key, value));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// The spec as a registry store keeps it: settings only where set (null ones inherit each replica's global options)
    /// and option values as they are, secrets included, because the store must recreate the checker. Never shown or logged.
    /// </summary>
    /// <exception cref="EndpointValidationException">The spec has a checker factory, which cannot be stored.</exception>
    public static string ToStoredJson(EndpointSpec spec)
    {
        if (spec.CheckerFactory is not null)
        {
            throw new EndpointValidationException([new("CheckerFactory", "a custom checker factory cannot be stored by the registry store: add such endpoints from code or configuration at startup, or use Registry:Store=memory")]);
        }

        var buffer = new ArrayBufferWriter<byte>(384);
        using (var json = new Utf8JsonWriter(buffer, HealthDetailsWriter.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("dependency", spec.Dependency);
            json.WriteString("type", spec.Type);
            json.WriteString("host", spec.Host);
            json.WriteNumber("port", spec.Port);
            json.WriteBoolean("critical", spec.Critical);
            json.WriteStartObject("labels");
            foreach (var (name, value) in spec.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            WriteDuration(json, "checkInterval", spec.CheckInterval);
            WriteDuration(json, "timeout", spec.Timeout);
            WriteDuration(json, "initialDelay", spec.InitialDelay);
            if (spec.FailureThreshold is { } failures)
            {
                json.WriteNumber("failureThreshold", failures);
            }

            if (spec.SuccessThreshold is { } successes)
            {
                json.WriteNumber("successThreshold", successes);
            }

            json.WriteStartObject("options");
            foreach (var (key, value) in spec.Options.OrderBy(o => o.Key, StringComparer.OrdinalIgnoreCase))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a stored spec; null with the reasons in <paramref name="errors"/> when it is not one.</summary>
    public static EndpointSpec? FromStoredJson(string text, List<EndpointValidationError> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            return Read(document.RootElement, errors);
        }
        catch (JsonException exception)
        {
            errors.Add(new("body", $"is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})"));
            return null;
        }
    }

    private static void WriteDuration(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            json.WriteString(name, EndpointSpecValidator.Format(duration));
        }
    }

    /// <summary>
    /// The listing of every registered endpoint, each as <see cref="Write"/> writes it. An endpoint that fails to
    /// serialize is left out and the others are still listed. (Labels and options are the registry's frozen copies, so
    /// nothing of the application's runs here; the isolation is there for our own bugs.)
    /// </summary>
    public static byte[] SerializeListing(EndpointEntry[] entries, RenderFailures failures)
    {
        var body = new ArrayBufferWriter<byte>(256 + (entries.Length * 384));
        var piece = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(piece, HealthDetailsWriter.WriterOptions);
        body.Write("["u8);
        var first = true;
        foreach (var entry in entries)
        {
            if (entry.IsRemoved)
            {
                continue;
            }

            // Each endpoint is written on its own, so that one failing part-way leaves nothing of it in the body. The
            // listing is an admin request, not a hot path: the copy costs nothing that matters.
            piece.ResetWrittenCount();
            json.Reset(piece);
            try
            {
                Write(json, new RegisteredEndpoint(entry.Spec, entry.Settings, entry.Source));
                json.Flush();
                entry.RenderFault?.Invoke(RenderOutput.Registry);
            }
            catch (Exception exception)
            {
                failures.Failed(entry, RenderOutput.Registry, exception);
                continue;
            }

            if (!first)
            {
                body.Write(","u8);
            }

            body.Write(piece.WrittenSpan);
            first = false;
            failures.Rendered(entry, RenderOutput.Registry);
        }

        body.Write("]"u8);
        return body.WrittenSpan.ToArray();
    }

    public static byte[] Serialize(RegisteredEndpoint endpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, HealthDetailsWriter.WriterOptions))
        {
            Write(json, endpoint);
        }

        return buffer.WrittenSpan.ToArray();
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

        if (value.ValueKind == JsonValueKind.String && Configuration.EndpointAddressParser.TryParsePort(value.GetString(), out var parsed))
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
