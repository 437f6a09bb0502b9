using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Writes UTF-8 text straight into a buffer writer in large chunks, so rendering thousands of series
/// allocates no strings. Call <see cref="Flush"/> when done.
/// </summary>
internal ref struct Utf8TextWriter
{
    private const int ChunkSize = 16 * 1024;
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _used;

    public Utf8TextWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(ChunkSize);
        _used = 0;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _span.Length - _used)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_span[_used..]);
        _used += bytes.Length;
    }

    public void Write(byte value)
    {
        if (_used == _span.Length)
        {
            Grow(1);
        }

        _span[_used++] = value;
    }

    /// <summary>Writes a string as UTF-8.</summary>
    public void Write(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _span.Length - _used)
        {
            Grow(max);
        }

        _used += Encoding.UTF8.GetBytes(text, _span[_used..]);
    }

    public void Write(long value)
    {
        if (_span.Length - _used < 20)
        {
            Grow(20);
        }

        Utf8Formatter.TryFormat(value, _span[_used..], out var written);
        _used += written;
    }

    /// <summary>Writes a sample value in the text format: shortest round-trip, +Inf/-Inf/NaN spelled out.</summary>
    public void Write(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            Write("+Inf"u8);
            return;
        }

        if (double.IsNegativeInfinity(value))
        {
            Write("-Inf"u8);
            return;
        }

        if (double.IsNaN(value))
        {
            Write("NaN"u8);
            return;
        }

        if (_span.Length - _used < 32)
        {
            Grow(32);
        }

        value.TryFormat(_span[_used..], out var written, "R", CultureInfo.InvariantCulture);
        _used += written;
    }

    public void Flush()
    {
        if (_used > 0)
        {
            _output.Advance(_used);
            _used = 0;
            _span = default;
        }
    }

    private void Grow(int needed)
    {
        _output.Advance(_used);
        _used = 0;
        _span = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
