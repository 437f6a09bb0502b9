using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Writes the contract's details JSON: one object per endpoint keyed <c>dependency:host:port</c>, in snake_case,
/// endpoints not yet checked included (<c>healthy</c> null, <c>status</c>/<c>detail</c> <c>unknown</c>).
/// </summary>
internal sealed class HealthDetailsWriter(HealthStateStore store)
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes every endpoint; with <paramref name="includeHistory"/> each one's kept results too, oldest first.</summary>
    public void Write(IBufferWriter<byte> output, bool includeHistory = false)
    {
        var history = includeHistory ? new List<HistorySample>() : null;
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        foreach (var entry in store.Sorted())
        {
            var state = entry.Read();
            if (entry.IsRemoved)
            {
                continue;
            }

            var spec = entry.Spec;
            json.WriteStartObject(entry.KeyText);
            if (state.HasResult)
            {
                json.WriteBoolean("healthy", state.Health == HealthState.Healthy);
            }
            else
            {
                json.WriteNull("healthy");
            }

            json.WriteString("status", state.Status);
            json.WriteString("detail", state.Detail);
            json.WriteNumber("latency_ms", Math.Round(state.LatencySeconds * 1000, 3));
            json.WriteString("type", spec.Type);
            json.WriteString("name", spec.Dependency);
            json.WriteString("host", spec.Host);
            json.WriteString("port", spec.Port.ToString(CultureInfo.InvariantCulture));
            json.WriteBoolean("critical", spec.Critical);
            if (state.LastCheckedAt is { } checkedAt)
            {
                json.WriteString("last_checked_at", FormatTimestamp(checkedAt));
            }
            else
            {
                json.WriteNull("last_checked_at");
            }

            json.WriteStartObject("labels");
            foreach (var (name, value) in spec.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteBoolean("flapping", state.Flapping);
            if (history is not null)
            {
                entry.ReadHistory(history);
                WriteHistory(json, history);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteHistory(Utf8JsonWriter json, List<HistorySample> history)
    {
        json.WriteStartArray("history");
        foreach (var sample in history)
        {
            json.WriteStartObject();
            json.WriteString("at", FormatTimestamp(sample.At));
            json.WriteBoolean("healthy", sample.Healthy);
            json.WriteString("status", sample.Status);
            json.WriteString("detail", sample.Detail);
            json.WriteNumber("latency_ms", Math.Round(sample.LatencySeconds * 1000d, 3));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>RFC 3339 in UTC with fractional seconds only where present, like <c>2026-02-14T10:30:00Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
