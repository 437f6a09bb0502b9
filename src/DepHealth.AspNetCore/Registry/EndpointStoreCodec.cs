using System.Buffers;
using System.Text.Json;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// What a registry store (<see cref="IEndpointStore"/>) keeps of an endpoint: the API's JSON with settings only where
/// set, read back with the API's strict rules. Stores already hold values in this form: keep it byte for byte.
/// </summary>
internal static class EndpointStoreCodec
{
    /// <summary>
    /// The spec as a registry store keeps it: settings only where set (null ones inherit each replica's global options)
    /// and option values as they are, secrets included, because the store must recreate the checker. Never shown or logged.
    /// </summary>
    /// <exception cref="EndpointValidationException">The spec has a checker factory, which cannot be stored.</exception>
    public static string Encode(EndpointSpec spec)
    {
        if (spec.CheckerFactory is not null)
        {
            throw new EndpointValidationException([new("CheckerFactory", "a custom checker factory cannot be stored by the registry store: add such endpoints from code or configuration at startup, or use Registry:Store=memory")]);
        }

        var buffer = new ArrayBufferWriter<byte>(384);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            json.WriteStartObject();
            EndpointIdentityJson.Write(json, spec);
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
    public static EndpointSpec? Decode(string text, List<EndpointValidationError> errors)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            return EndpointRequestReader.Read(document.RootElement, errors);
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
}
