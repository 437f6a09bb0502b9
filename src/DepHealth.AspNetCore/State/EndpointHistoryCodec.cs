using System.Text;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// An endpoint's kept results as saved in a durable store: a format byte, the distinct details, then per result the time
/// (milliseconds after the previous one), the latency in microseconds and the detail's index with the health, each as a
/// 7-bit encoded integer. About 5 bytes a result at a steady interval, so a ring of 120 fits in well under a kilobyte.
/// </summary>
internal static class EndpointHistoryCodec
{
    private const byte Format = 1;

    /// <summary>The bytes of <paramref name="samples"/>, oldest first.</summary>
    public static byte[] Encode(IReadOnlyList<HistorySample> samples)
    {
        using var stream = new MemoryStream(16 + (samples.Count * 6));
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        var details = new List<string>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (indexes.TryAdd(sample.Detail, details.Count))
            {
                details.Add(sample.Detail);
            }
        }

        writer.Write(Format);
        writer.Write7BitEncodedInt(details.Count);
        foreach (var detail in details)
        {
            writer.Write(detail);
        }

        writer.Write7BitEncodedInt(samples.Count);
        var previous = 0L;
        foreach (var sample in samples)
        {
            var at = sample.At.ToUnixTimeMilliseconds();
            writer.Write7BitEncodedInt64(at - previous);
            previous = at;
            writer.Write7BitEncodedInt64((long)Math.Round(Math.Max(sample.LatencySeconds, 0) * 1_000_000d));
            writer.Write7BitEncodedInt((indexes[sample.Detail] << 1) | (sample.Healthy ? 1 : 0));
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>The results saved by <see cref="Encode"/>, oldest first.</summary>
    /// <exception cref="FormatException">The bytes are not a saved history this version reads.</exception>
    public static List<HistorySample> Decode(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            var format = reader.ReadByte();
            if (format != Format)
            {
                throw new FormatException($"saved history format {format} is not {Format}");
            }

            var details = new string[Count(reader)];
            for (var i = 0; i < details.Length; i++)
            {
                details[i] = reader.ReadString();
            }

            var samples = new List<HistorySample>(Count(reader));
            var at = 0L;
            for (var i = 0; i < samples.Capacity; i++)
            {
                at += reader.Read7BitEncodedInt64();
                var latency = reader.Read7BitEncodedInt64() / 1_000_000d;
                var bits = reader.Read7BitEncodedInt();
                if ((bits >> 1) >= details.Length || latency < 0)
                {
                    throw new FormatException($"saved result {i} is out of range");
                }

                samples.Add(new HistorySample(DateTimeOffset.FromUnixTimeMilliseconds(at), (bits & 1) != 0, details[bits >> 1], latency));
            }

            return reader.BaseStream.Position == bytes.Length ? samples : throw new FormatException("saved history has trailing bytes");
        }
        catch (Exception exception) when (exception is EndOfStreamException or ArgumentOutOfRangeException or DecoderFallbackException)
        {
            throw new FormatException($"saved history is truncated or corrupt: {exception.Message}", exception);
        }
    }

    /// <summary>A count, refused when it could not fit in what is left (a corrupt length must not allocate gigabytes).</summary>
    private static int Count(BinaryReader reader)
    {
        var count = reader.Read7BitEncodedInt();
        return count >= 0 && count <= reader.BaseStream.Length - reader.BaseStream.Position
            ? count
            : throw new FormatException($"saved history count {count} exceeds its {reader.BaseStream.Length} bytes");
    }
}
