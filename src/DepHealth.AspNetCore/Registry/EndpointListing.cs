using System.Buffers;
using System.Text.Json;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// The registry API's listing of every registered endpoint, each as <see cref="EndpointResponseWriter"/> writes it. An
/// endpoint that fails to serialize is left out and the others are still listed. (Labels and options are the
/// registry's frozen copies, so nothing of the application's runs here; the isolation is there for our own bugs.)
/// </summary>
internal static class EndpointListing
{
    public static byte[] Serialize(EndpointEntry[] entries, RenderFailures failures)
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
                EndpointResponseWriter.Write(json, new RegisteredEndpoint(entry.Spec, entry.Settings, entry.Source));
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
}
