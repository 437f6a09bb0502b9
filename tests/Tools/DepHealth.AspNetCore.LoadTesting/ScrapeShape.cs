using System.Buffers;
using System.Text;

namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>
/// What every scrape must look like while the endpoint set is constant, from one render in process: its line count
/// and how its last line starts (the value at its end changes). The load driver checks each scrape against both, so
/// that a truncated or interleaved response counts as an error, not as a fast answer.
/// </summary>
public readonly record struct ScrapeShape(long Lines, string LastLinePrefix, long Bytes)
{
    public static ScrapeShape Of(Action<IBufferWriter<byte>> render)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024 * 1024);
        render(buffer);
        var text = buffer.WrittenSpan;
        var lastLine = Encoding.UTF8.GetString(text[(text[..^1].LastIndexOf((byte)'\n') + 1)..^1]);
        return new ScrapeShape(text.Count((byte)'\n'), lastLine[..(lastLine.LastIndexOf(' ') + 1)], text.Length);
    }
}
