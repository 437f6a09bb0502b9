using System.Text;
using DepHealth.AspNetCore.Checks.Redis;

namespace DepHealth.AspNetCore.Tests.Checks.Redis;

/// <summary>The bounded RESP reader, fed one byte per read so every reply crosses read boundaries.</summary>
[Trait("Category", "unit")]
public sealed class RespReaderTests
{
    [Fact]
    public async Task Replies_of_every_type_are_read_across_single_byte_reads()
    {
        var reader = Reader("+PONG\r\n-ERR bad\r\n:42\r\n$5\r\nab\r\nc\r\n$-1\r\n*2\r\n");

        Assert.Equal(new RespReply(RespKind.SimpleString, "PONG"), await reader.ReadAsync(default));
        Assert.Equal(new RespReply(RespKind.Error, "ERR bad"), await reader.ReadAsync(default));
        Assert.Equal(new RespReply(RespKind.Integer, "42"), await reader.ReadAsync(default));
        Assert.Equal(new RespReply(RespKind.BulkString, "ab\r\nc"), await reader.ReadAsync(default));
        Assert.Equal(RespKind.NullBulkString, (await reader.ReadAsync(default)).Kind);
        Assert.Equal(new RespReply(RespKind.Array, "2"), await reader.ReadAsync(default));
    }

    [Fact]
    public async Task Line_at_the_bound_is_read()
    {
        var text = new string('a', RespReader.MaxLength - 1);

        var reply = await Reader("+" + text + "\r\n", chunk: 4096).ReadAsync(default);

        Assert.Equal(text, reply.Text);
    }

    [Fact]
    public async Task Line_beyond_the_bound_is_error()
    {
        var reader = Reader("+" + new string('a', RespReader.MaxLength + 10) + "\r\n", chunk: 4096);

        var failure = await Assert.ThrowsAsync<DependencyCheckException>(() => reader.ReadAsync(default).AsTask());
        Assert.Equal(CheckDetails.Error, ErrorClassifier.Classify(failure));
    }

    [Fact]
    public async Task Bulk_string_longer_than_the_bound_is_refused_before_reading_it()
    {
        var reader = Reader("$1000000000\r\n");

        var failure = await Assert.ThrowsAsync<DependencyCheckException>(() => reader.ReadAsync(default).AsTask());
        Assert.Equal(CheckDetails.Error, failure.Detail);
    }

    [Fact]
    public async Task Bulk_string_without_crlf_terminator_is_error()
    {
        var reader = Reader("$2\r\nabcd");

        await Assert.ThrowsAsync<DependencyCheckException>(() => reader.ReadAsync(default).AsTask());
    }

    private static RespReader Reader(string data, int chunk = 1) => new(new ChunkedStream(Encoding.UTF8.GetBytes(data), chunk));

    /// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
