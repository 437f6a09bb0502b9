using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Writes a small JSON probe body: <c>{"status":"healthy"}</c>, and when not healthy the endpoint keys that are
/// failing, pending or degraded, plus the names of any other checks in the report that are not healthy.
/// </summary>
internal static class ProbeResponseWriter
{
    private static readonly byte[] HealthyBody = """{"status":"healthy"}"""u8.ToArray();

    /// <summary>
    /// Answers as <c>MapHealthChecks</c> with default options does: 200 when healthy or degraded, 503 when unhealthy,
    /// never cached, then the body.
    /// </summary>
    public static Task RespondAsync(HttpContext context, HealthReport report)
    {
        var response = context.Response;
        response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        return WriteAsync(context, report);
    }

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.Body.WriteAsync(HealthyBody, context.RequestAborted).AsTask();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", Name(report.Status));
            WriteKeys(json, report, ReadinessHealthCheck.FailingKey);
            WriteKeys(json, report, ReadinessHealthCheck.PendingKey);
            WriteKeys(json, report, ReadinessHealthCheck.DegradedKey);
            var wroteChecks = false;
            foreach (var (name, entry) in report.Entries)
            {
                if (entry.Status == HealthStatus.Healthy || entry.Data.Count > 0)
                {
                    continue;
                }

                if (!wroteChecks)
                {
                    json.WriteStartObject("checks");
                    wroteChecks = true;
                }

                json.WriteString(name, Name(entry.Status));
            }

            if (wroteChecks)
            {
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    private static void WriteKeys(Utf8JsonWriter json, HealthReport report, string key)
    {
        var wrote = false;
        foreach (var entry in report.Entries.Values)
        {
            if (entry.Data.TryGetValue(key, out var value) && value is IEnumerable<string> keys)
            {
                if (!wrote)
                {
                    json.WriteStartArray(key);
                    wrote = true;
                }

                foreach (var endpoint in keys)
                {
                    json.WriteStringValue(endpoint);
                }
            }
        }

        if (wrote)
        {
            json.WriteEndArray();
        }
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
