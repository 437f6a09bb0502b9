using System.Buffers;
using System.Text;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>The writer behind /metrics and the details JSON asks the output for small spans only.</summary>
[Trait("Category", "unit")]
public sealed class Utf8TextWriterTests
{
    [Fact]
    public void A_write_longer_than_a_block_is_kept_whole_without_asking_the_output_for_more_than_a_block()
    {
        var output = new BlockWriter();
        var writer = new Utf8TextWriter(output);
        var text = Enumerable.Range(0, 3 * BlockWriter.BlockSize).Select(i => (byte)('a' + (i % 26))).ToArray();

        writer.Write("before\n"u8);
        writer.Write(text);
        writer.Flush();

        Assert.Equal("before\n" + Encoding.ASCII.GetString(text), output.Text);
        Assert.InRange(output.LargestRequest, 1, BlockWriter.BlockSize);
    }

    /// <summary>Hands out blocks of <see cref="BlockSize"/> like Kestrel's response pipe, and records the largest span asked for.</summary>
    private sealed class BlockWriter : IBufferWriter<byte>
    {
        public const int BlockSize = 4096;
        private readonly List<byte> _written = [];
        private byte[] _block = [];
        private int _position;

        public int LargestRequest { get; private set; }

        public string Text => Encoding.ASCII.GetString(_written.ToArray());

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            LargestRequest = Math.Max(LargestRequest, sizeHint);
            if (_block.Length - _position < Math.Max(sizeHint, 1))
            {
                _block = new byte[Math.Max(BlockSize, sizeHint)];
                _position = 0;
            }

            return _block.AsMemory(_position);
        }

        public void Advance(int count)
        {
            _written.AddRange(_block.AsSpan(_position, count));
            _position += count;
        }
    }
}
