using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>
/// Reads RESP2 replies from a stream. Reads are bounded: a line or bulk string longer than <see cref="MaxLength"/>
/// is a protocol error, so a misbehaving server cannot make a check buffer unbounded data.
/// </summary>
internal sealed class RespReader(Stream stream)
{
    public const int MaxLength = 64 * 1024;

    private byte[] _buffer = new byte[512];
    private int _start;
    private int _end;

    public async ValueTask<RespReply> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line.Length == 0)
        {
            throw Protocol("an empty reply line");
        }

        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return new(RespKind.SimpleString, payload);
            case '-':
                return new(RespKind.Error, payload);
            case ':':
                return long.TryParse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? new(RespKind.Integer, payload)
                    : throw Protocol("an integer reply that is not a number");
            case '$':
                if (!int.TryParse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var length) || length < -1 || length > MaxLength)
                {
                    throw Protocol("a bulk string length that is invalid or too large");
                }

                if (length == -1)
                {
                    return new(RespKind.NullBulkString, string.Empty);
                }

                await EnsureBufferedAsync(length + 2, cancellationToken);
                if (_buffer[_start + length] != '\r' || _buffer[_start + length + 1] != '\n')
                {
                    throw Protocol("a bulk string not terminated by CRLF");
                }

                var text = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += length + 2;
                return new(RespKind.BulkString, text);
            case '*':
                // The checks never expect an array; its elements stay unread because the connection closes after the check.
                return int.TryParse(payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? new(RespKind.Array, payload)
                    : throw Protocol("an array length that is not a number");
            default:
                throw Protocol("an unknown reply type");
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var cr = available.IndexOf("\r\n"u8);
            if (cr >= 0)
            {
                var length = scanned + cr;
                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += length + 2;
                return line;
            }

            // Keep a trailing '\r' for the next round: its '\n' may not have arrived yet.
            scanned = Math.Max(0, _end - _start - 1);
            if (_end - _start > MaxLength)
            {
                throw Protocol("a reply line longer than 64 KiB");
            }

            await FillAsync(_end - _start + 1, cancellationToken);
        }
    }

    private async ValueTask EnsureBufferedAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            await FillAsync(count, cancellationToken);
        }
    }

    /// <summary>Reads more bytes, making room for at least <paramref name="count"/> buffered bytes (at most the bound plus CRLF).</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length || count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(Math.Max(count, _buffer.Length * 2), MaxLength + 2));
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new DependencyCheckException(CheckDetails.Error, "The Redis server closed the connection before replying.");
        }

        _end += read;
    }

    private static DependencyCheckException Protocol(string what) =>
        new(CheckDetails.Error, $"The Redis server sent {what}; it does not speak RESP.");
}
