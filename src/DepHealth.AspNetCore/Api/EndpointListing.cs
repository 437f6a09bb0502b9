using System.Buffers;
using System.Text.Json;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Api;

/// <summary>The registry API's listing of every registered endpoint, each as <see cref="EndpointResponseWriter"/> writes it.</summary>
internal static class EndpointListing
{
    public static byte[] Serialize(EndpointEntry[] entries)
    {
        var body = new ArrayBufferWriter<byte>(256 + (entries.Length * 384));
        using (var json = new Utf8JsonWriter(body, JsonOutput.Options))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                if (!entry.IsRemoved)
                {
                    EndpointResponseWriter.Write(json, new RegisteredEndpoint(entry.Spec, entry.Settings, entry.Source));
                }
            }

            json.WriteEndArray();
        }

        return body.WrittenSpan.ToArray();
    }
}
