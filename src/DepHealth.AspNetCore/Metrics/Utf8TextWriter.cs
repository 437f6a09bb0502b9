using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// Writes UTF-8 text straight into a buffer writer's own buffers, so rendering thousands of series
/// allocates no strings. Call <see cref="Flush"/> when done.
/// </summary>
/// <remarks>
/// It asks for small spans and fills whatever the writer hands out: a larger request than the writer's block size
/// (4 KB for Kestrel's response pipe) would make the pipe allocate an array outside its pool for every chunk.
/// <para>
/// One endpoint's output is written as a piece (<see cref="BeginPiece"/>, then <see cref="EndPiece"/> or
/// <see cref="DiscardPiece"/>) so that a failure part-way through can be undone. Nothing of an open piece is ever
/// committed to the output: it is written in place in the current span, and only when it outgrows that span does it
/// move to a pooled spill buffer, copied out at its end. So the common case copies nothing and asks the output for
/// nothing, and a discard is a reset of the write position. The output is touched only between pieces, which also
/// keeps the output's own exceptions (a completed pipe) out of the per-endpoint error handling.
/// </para>
/// </remarks>
internal ref struct Utf8TextWriter
{
    private const int MinimumSpan = 512;

    /// <summary>The first spill buffer: a block, room for any endpoint's lines unless its labels are very long.</summary>
    private const int SpillSize = 4096;

    private readonly IBufferWriter<byte> _output;

    /// <summary>Where writes go: the output's span, or the spill buffer while the open piece spills.</summary>
    private Span<byte> _span;
    private int _used;
    private long _committed;

    /// <summary>Where the open piece starts in <see cref="_span"/>; -1 when no piece is open.</summary>
    private int _piece;

    /// <summary>Rented while the open piece spills; the output's span and its used length wait in the parked fields.</summary>
    private byte[]? _spill;
    private Span<byte> _parked;
    private int _parkedUsed;

    public Utf8TextWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = output.GetSpan(MinimumSpan);
        _used = 0;
        _committed = 0;
        _piece = -1;
    }

    /// <summary>Bytes written so far through this writer, the open piece included.</summary>
    public readonly long Written => _committed + _used + (_spill is null ? 0 : _parkedUsed);

    /// <summary>Starts a piece: what is written until <see cref="EndPiece"/> can still be discarded.</summary>
    public void BeginPiece()
    {
        Debug.Assert(_piece < 0, "pieces do not nest");
        _piece = _used;
    }

    /// <summary>Keeps the open piece.</summary>
    public void EndPiece()
    {
        Debug.Assert(_piece >= 0, "no piece is open");
        _piece = -1;
        if (_spill is { } spill)
        {
            var length = _used;
            Unpark();
            WriteChunked(spill.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(spill);
        }
    }

    /// <summary>Drops everything written since <see cref="BeginPiece"/>.</summary>
    public void DiscardPiece()
    {
        Debug.Assert(_piece >= 0, "no piece is open");
        if (_spill is { } spill)
        {
            Unpark();
            ArrayPool<byte>.Shared.Return(spill);
        }
        else
        {
            _used = _piece;
        }

        _piece = -1;
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
        Debug.Assert(_piece < 0, "a piece is still open");
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
        if (_spill is { } full)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(full.Length * 2, _used + needed));
            full.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(full);
            _spill = larger;
            _span = larger;
            return;
        }

        if (_piece >= 0)
        {
            // Committing now would make the piece impossible to discard: it moves to a spill buffer instead, and the
            // output keeps what precedes it, uncommitted, until the piece ends.
            var piece = _span[_piece.._used];
            var spill = ArrayPool<byte>.Shared.Rent(Math.Max(SpillSize, piece.Length + needed));
            piece.CopyTo(spill);
            _parked = _span;
            _parkedUsed = _piece;
            _spill = spill;
            _span = spill;
            _used = piece.Length;
            _piece = 0;
            return;
        }

        _output.Advance(_used);
        _committed += _used;
        _used = 0;
        _span = _output.GetSpan(Math.Max(needed, MinimumSpan));
    }

    private void Unpark()
    {
        _span = _parked;
        _used = _parkedUsed;
        _parked = default;
        _spill = null;
    }

    /// <summary>Copies bytes in spans of the usual size, however many there are: never one oversized request.</summary>
    private void WriteChunked(ReadOnlySpan<byte> bytes)
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
