using System.Runtime.CompilerServices;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>History results are packed into 8 bytes: a time after the ring's base and one word of latency, detail and flags.</summary>
[Trait("Category", "unit")]
public sealed class PackedHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 14, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_kept_result_takes_eight_bytes()
    {
        Assert.Equal(8, Unsafe.SizeOf<PackedHistorySample>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.000001)]
    [InlineData(0.0123456)]
    [InlineData(2.097151)]
    public void Latency_up_to_about_two_seconds_is_kept_to_the_microsecond(double seconds)
    {
        var sample = new PackedHistorySample(0, CheckDetails.Ok, seconds, healthy: true, changed: false);

        Assert.Equal(Math.Round(seconds, 6), sample.LatencySeconds, 9);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(30.123456)]
    [InlineData(60)]
    public void Latency_above_two_seconds_is_kept_within_sixteen_microseconds(double seconds)
    {
        var sample = new PackedHistorySample(0, CheckDetails.Timeout, seconds, healthy: false, changed: true);

        Assert.InRange(sample.LatencySeconds, seconds - 0.000016, seconds + 0.000016);
        Assert.Equal((CheckDetails.Timeout, false, true), (sample.Detail, sample.Healthy, sample.Changed));
    }

    [Fact]
    public void Results_more_than_49_days_apart_keep_their_exact_times()
    {
        var history = new EndpointHistory(size: 2, flapThreshold: 5);
        var times = new[] { Start, Start.AddDays(30).AddMilliseconds(7), Start.AddDays(60).AddMilliseconds(9) };
        foreach (var time in times)
        {
            history.Add(time, healthy: true, CheckDetails.Ok, 0.001);
        }

        var read = new List<HistorySample>();
        history.CopyTo(read);

        Assert.Equal(times.Skip(1), read.Select(r => r.At));
    }

    [Fact]
    public void Results_too_old_to_express_from_the_newest_are_dropped_with_their_changes()
    {
        var history = new EndpointHistory(size: 4, flapThreshold: 1);
        history.Add(Start, healthy: true, CheckDetails.Ok, 0.001);
        history.Add(Start.AddSeconds(1), healthy: false, CheckDetails.ConnectionRefused, 0.001);
        history.Add(Start.AddDays(40), healthy: true, CheckDetails.Ok, 0.001);
        history.Add(Start.AddDays(80), healthy: true, CheckDetails.Ok, 0.001);

        var read = new List<HistorySample>();
        history.CopyTo(read);

        Assert.Equal([Start.AddDays(40), Start.AddDays(80)], read.Select(r => r.At));
        Assert.Equal(0, history.Changes);
    }

    [Fact]
    public void A_clock_that_goes_back_keeps_every_result_with_its_own_time()
    {
        var history = new EndpointHistory(size: 3, flapThreshold: 5);
        history.Add(Start, healthy: true, CheckDetails.Ok, 0.001);
        history.Add(Start.AddHours(-1), healthy: false, CheckDetails.Timeout, 0.5);

        var read = new List<HistorySample>();
        history.CopyTo(read);

        Assert.Equal([(Start, true), (Start.AddHours(-1), false)], read.Select(r => (r.At, r.Healthy)));
        Assert.Equal(1, history.Changes);
    }
}
