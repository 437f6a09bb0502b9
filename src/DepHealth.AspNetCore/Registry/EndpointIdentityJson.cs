using System.Text.Json;

namespace DepHealth.AspNetCore.Registry;

/// <summary>An endpoint's identity and labels, written the same way in every JSON form of a spec (API and store).</summary>
internal static class EndpointIdentityJson
{
    public static void Write(Utf8JsonWriter json, EndpointSpec spec)
    {
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
    }
}
