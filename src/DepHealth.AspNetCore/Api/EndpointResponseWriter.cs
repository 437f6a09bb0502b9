using System.Buffers;
using System.Text.Json;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Api;

/// <summary>Writes a registered endpoint as the registry API's JSON, with its effective settings; never shows a secret option.</summary>
internal static class EndpointResponseWriter
{
    public static void Write(Utf8JsonWriter json, RegisteredEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        json.WriteStartObject();
        EndpointIdentityJson.Write(json, spec);
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

    public static byte[] Serialize(RegisteredEndpoint endpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            Write(json, endpoint);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
