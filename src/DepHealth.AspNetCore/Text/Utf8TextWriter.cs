using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Text;

/// <summary>
/// Writes UTF-8 text straight into a buffer writer's own buffers, so rendering thousands of series
/// allocates no strings. Call <see cref="Flush"/> when done.
/// </summary>
/// <remarks>
/// It asks for small spans and fills whatever the writer hands out: a larger request than the writer's block size
/// (4 KB for Kestrel's response pipe) would make the pipe allocate an array outside its pool for every chunk.
/// </remarks>
internal ref struct Utf8TextWriter
{
    private const int MinimumSpan = 512;
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _used;
    private long _committed;

    public Utf8TextWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(MinimumSpan);
        _used = 0;
        _committed = 0;
    }

    /// <summary>Bytes written so far through this writer.</summary>
    public readonly long Written => _committed + _used;

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _span.Length - _used)
        {
            WriteChunked(bytes);
            return;
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

    /// <summary>Writes text known to be ASCII, one byte per character.</summary>
    public void WriteAscii(scoped ReadOnlySpan<char> text)
    {
        if (text.Length > _span.Length - _used)
        {
            Grow(text.Length);
        }

        System.Text.Ascii.FromUtf16(text, _span[_used..], out var written);
        _used += written;
    }

    /// <summary>Writes a JSON number as <see cref="System.Text.Json.Utf8JsonWriter"/> does (shortest round-trip).</summary>
    public void WriteJsonNumber(double value)
    {
        if (_span.Length - _used < 32)
        {
            Grow(32);
        }

        value.TryFormat(_span[_used..], out var written, default, CultureInfo.InvariantCulture);
        _used += written;
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
            _committed += _used;
            _used = 0;
            _span = default;
        }
    }

    private void Grow(int needed)
    {
        _output.Advance(_used);
        _committed += _used;
        _used = 0;
        _span = _output.GetSpan(Math.Max(needed, MinimumSpan));
    }

    /// <summary>Copies bytes in spans of the usual size, however many there are: never one oversized request.</summary>
    private void WriteChunked(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _span.Length)
            {
                Grow(MinimumSpan);
            }

            var count = Math.Min(bytes.Length, _span.Length - _used);
            bytes[..count].CopyTo(_span[_used..]);
            _used += count;
            bytes = bytes[count..];
        }
    }
}
