using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>The kept results as saved in a durable store: they read back as they were, and damaged bytes are refused.</summary>
[Trait("Category", "unit")]
public sealed class HistoryCodecTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 14, 10, 30, 0, 250, TimeSpan.Zero);

    private static List<HistorySample> Samples() =>
    [
        new(Start, true, CheckDetails.Ok, 0.002345),
        new(Start.AddSeconds(15), false, "http_503", 0.5),
        new(Start.AddSeconds(30), false, CheckDetails.Timeout, 5.000001),
        new(Start.AddSeconds(29), true, CheckDetails.Ok, 0),
    ];

    [Fact]
    public void Saved_results_read_back_with_their_time_health_detail_and_latency()
    {
        var samples = Samples();

        var decoded = EndpointHistoryCodec.Decode(EndpointHistoryCodec.Encode(samples));

        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void Empty_history_reads_back_empty()
    {
        Assert.Empty(EndpointHistoryCodec.Decode(EndpointHistoryCodec.Encode([])));
    }

    [Fact]
    public void Results_at_a_steady_interval_take_under_eight_bytes_each()
    {
        var samples = Enumerable.Range(0, 120).Select(i => new HistorySample(Start.AddSeconds(15 * i), true, CheckDetails.Ok, 0.0021)).ToList();

        var bytes = EndpointHistoryCodec.Encode(samples);

        Assert.True(bytes.Length < 120 * 8, $"{bytes.Length} bytes for 120 results");
    }

    [Fact]
    public void Truncated_bytes_are_refused_with_a_format_error()
    {
        var bytes = EndpointHistoryCodec.Encode(Samples());

        var error = Assert.Throws<FormatException>(() => EndpointHistoryCodec.Decode(bytes[..^3]));

        Assert.Contains("saved history", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_format_is_refused_with_a_format_error()
    {
        var bytes = EndpointHistoryCodec.Encode(Samples());
        bytes[0] = 99;

        var error = Assert.Throws<FormatException>(() => EndpointHistoryCodec.Decode(bytes));

        Assert.Contains("format 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_count_is_refused_without_allocating_it()
    {
        byte[] bytes = [1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];

        Assert.Throws<FormatException>(() => EndpointHistoryCodec.Decode(bytes));
    }
}
