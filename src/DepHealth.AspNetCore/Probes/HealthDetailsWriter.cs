using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Probes;

/// <summary>
/// Writes the contract's details JSON: one object per endpoint keyed <c>dependency:host:port</c>, in snake_case,
/// endpoints not yet checked included (<c>healthy</c> null, <c>status</c>/<c>detail</c> <c>unknown</c>). Before its first
/// check after a restart, an endpoint with saved results shows the newest of them, marked <c>"restored": true</c>.
/// </summary>
internal sealed class HealthDetailsWriter(HealthStateStore store)
{
    /// <summary>Bytes written between flushes of a streamed response.</summary>
    private const int FlushEvery = 64 * 1024;

    /// <summary>Writes the whole document into <paramref name="output"/>; with <paramref name="includeHistory"/> each endpoint's kept results too.</summary>
    public void Write(IBufferWriter<byte> output, bool includeHistory = false)
    {
        var entries = store.Sorted();
        WriteSome(output, entries, 0, int.MaxValue, includeHistory ? [] : null);
    }

    /// <summary>Streams the document, flushing every <see cref="FlushEvery"/> bytes, so the response is never held whole in memory.</summary>
    public async Task WriteAsync(PipeWriter output, bool includeHistory, CancellationToken cancellationToken)
    {
        var entries = store.Sorted();
        var history = includeHistory ? new List<HistorySample>() : null;
        var next = 0;
        do
        {
            next = WriteSome(output, entries, next, FlushEvery, history);
            var flushed = await output.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
        while (next >= 0);
    }

    /// <summary>
    /// Writes endpoints from <paramref name="start"/> until <paramref name="budget"/> bytes are written; the index to
    /// go on from, or -1 when the document is complete. The JSON is written directly as UTF-8, byte for byte what
    /// <see cref="Utf8JsonWriter"/> with <see cref="JsonOutput.Options"/> writes, without per-property overhead.
    /// </summary>
    private static int WriteSome(IBufferWriter<byte> output, EndpointEntry[] entries, int start, int budget, List<HistorySample>? history)
    {
        var w = new Utf8TextWriter(output);
        if (start == 0)
        {
            w.Write((byte)'{');
        }

        var first = start == 0;
        for (var i = start; i < entries.Length; i++)
        {
            // Separators depend on what was written before; removed entries write nothing.
            if (WriteEndpoint(ref w, entries[i], first, history))
            {
                first = false;
            }

            if (w.Written >= budget && i + 1 < entries.Length)
            {
                w.Flush();
                return i + 1;
            }
        }

        w.Write((byte)'}');
        w.Flush();
        return -1;
    }

    /// <summary>One endpoint's member; nothing is allocated for it. False when the entry was removed.</summary>
    private static bool WriteEndpoint(ref Utf8TextWriter w, EndpointEntry entry, bool first, List<HistorySample>? history)
    {
        var state = entry.ReadShown(out var restored);
        if (entry.IsRemoved)
        {
            return false;
        }

        if (!first)
        {
            w.Write((byte)',');
        }

        // What never changes for an entry is rendered once; per query only its state is formatted.
        var fixedParts = FixedParts.Get(entry);
        w.Write(fixedParts.Head);
        w.Write(!state.HasResult ? "null"u8 : state.Health == HealthState.Healthy ? "true"u8 : "false"u8);
        w.Write(",\"status\":"u8);
        WriteString(ref w, state.Status);
        w.Write(",\"detail\":"u8);
        WriteString(ref w, state.Detail);
        w.Write(",\"latency_ms\":"u8);
        w.WriteJsonNumber(Math.Round(state.LatencySeconds * 1000, 3));
        w.Write(fixedParts.Middle);
        if (state.LastCheckedAt is { } checkedAt)
        {
            Span<char> scratch = stackalloc char[32];
            w.Write((byte)'"');
            w.WriteAscii(FormatTimestamp(checkedAt, scratch));
            w.Write((byte)'"');
        }
        else
        {
            w.Write("null"u8);
        }

        w.Write(fixedParts.Tail);
        w.Write(state.Flapping ? ",\"flapping\":true"u8 : ",\"flapping\":false"u8);
        if (restored)
        {
            // The last result is the one saved before a restart: the endpoint has not been checked by this process yet.
            w.Write(",\"restored\":true"u8);
        }

        if (history is not null)
        {
            entry.ReadHistory(history);
            WriteHistory(ref w, history);
        }

        w.Write((byte)'}');
        return true;
    }

    /// <summary>The endpoint's kept results, oldest first: <c>"history":[{"at":…,"healthy":…,"status":…,"detail":…,"latency_ms":…}]</c>.</summary>
    private static void WriteHistory(ref Utf8TextWriter w, List<HistorySample> history)
    {
        Span<char> scratch = stackalloc char[32];
        w.Write(",\"history\":["u8);
        for (var i = 0; i < history.Count; i++)
        {
            var sample = history[i];
            w.Write(i == 0 ? "{\"at\":\""u8 : ",{\"at\":\""u8);
            w.WriteAscii(FormatTimestamp(sample.At, scratch));
            w.Write(sample.Healthy ? "\",\"healthy\":true,\"status\":"u8 : "\",\"healthy\":false,\"status\":"u8);
            WriteString(ref w, sample.Status);
            w.Write(",\"detail\":"u8);
            WriteString(ref w, sample.Detail);
            w.Write(",\"latency_ms\":"u8);
            w.WriteJsonNumber(Math.Round(sample.LatencySeconds * 1000d, 3));
            w.Write((byte)'}');
        }

        w.Write((byte)']');
    }

    /// <summary>
    /// The parts of an endpoint's member that depend on its spec only, kept per entry for as long as the entry lives:
    /// <c>"key":{"healthy":</c>, <c>,"type":…,"last_checked_at":</c> and <c>,"labels":{…}</c>.
    /// </summary>
    private sealed class FixedParts
    {
        private static readonly ConditionalWeakTable<EndpointEntry, FixedParts> ByEntry = new();
        private static readonly ConditionalWeakTable<EndpointEntry, FixedParts>.CreateValueCallback Create = Render;
        private readonly byte[] _bytes;
        private readonly int _middle;
        private readonly int _tail;

        private FixedParts(byte[] bytes, int middle, int tail)
        {
            _bytes = bytes;
            _middle = middle;
            _tail = tail;
        }

        public ReadOnlySpan<byte> Head => _bytes.AsSpan(0, _middle);

        public ReadOnlySpan<byte> Middle => _bytes.AsSpan(_middle, _tail - _middle);

        public ReadOnlySpan<byte> Tail => _bytes.AsSpan(_tail);

        public static FixedParts Get(EndpointEntry entry) => ByEntry.GetValue(entry, Create);

        private static FixedParts Render(EndpointEntry entry)
        {
            var spec = entry.Spec;
            var buffer = new ArrayBufferWriter<byte>(256);
            var w = new Utf8TextWriter(buffer);
            WriteString(ref w, entry.KeyText);
            w.Write(":{\"healthy\":"u8);
            var middle = (int)w.Written;
            w.Write(",\"type\":"u8);
            WriteString(ref w, spec.Type);
            w.Write(",\"name\":"u8);
            WriteString(ref w, spec.Dependency);
            w.Write(",\"host\":"u8);
            WriteString(ref w, spec.Host);
            w.Write(",\"port\":\""u8);
            w.Write(spec.Port);
            w.Write(spec.Critical ? "\",\"critical\":true,\"last_checked_at\":"u8 : "\",\"critical\":false,\"last_checked_at\":"u8);
            var tail = (int)w.Written;
            w.Write(",\"labels\":{"u8);
            var firstLabel = true;
            foreach (var (name, value) in entry.Labels.CustomTags)
            {
                if (!firstLabel)
                {
                    w.Write((byte)',');
                }

                firstLabel = false;
                WriteString(ref w, name);
                w.Write((byte)':');
                WriteString(ref w, (string?)value ?? string.Empty);
            }

            w.Write((byte)'}');
            w.Flush();
            return new FixedParts(buffer.WrittenSpan.ToArray(), middle, tail);
        }
    }

    /// <summary>A JSON string. Printable ASCII other than quote and backslash is written as is; anything else is escaped by the encoder.</summary>
    private static void WriteString(ref Utf8TextWriter w, string value)
    {
        w.Write((byte)'"');
        if (value.AsSpan().ContainsAnyExcept(SafeAscii))
        {
            // Well-formed UTF-16: validation refuses a lone surrogate in any label value.
            w.Write(JsonEncodedText.Encode(value, JsonOutput.Options.Encoder).EncodedUtf8Bytes);
        }
        else
        {
            w.WriteAscii(value);
        }

        w.Write((byte)'"');
    }

    /// <summary>Characters the relaxed encoder leaves alone: printable ASCII except <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<char> SafeAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>RFC 3339 in UTC with fractional seconds only where present, like <c>2026-02-14T10:30:00Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>The same text as <see cref="FormatTimestamp(DateTimeOffset)"/>, formatted by hand: a custom format string is parsed on every call.</summary>
    private static ReadOnlySpan<char> FormatTimestamp(DateTimeOffset value, Span<char> destination)
    {
        var utc = value.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = 'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), utc.Second);
        var length = 19;
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            destination[length++] = '.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            Digits(destination.Slice(length, digits), fraction);
            length += digits;
        }

        destination[length++] = 'Z';
        return destination[..length];
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to the destination's length.</summary>
    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
