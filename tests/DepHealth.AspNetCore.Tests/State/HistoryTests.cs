using DepHealth.AspNetCore.Checks.Tcp;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>Each endpoint keeps its last N results in a fixed ring and counts health changes in it to detect flapping.</summary>
[Trait("Category", "unit")]
public sealed class HistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 14, 10, 30, 0, TimeSpan.Zero);

    private static EndpointEntry Entry(int size, int flapThreshold, int failureThreshold = 1)
    {
        var spec = new EndpointSpec { Dependency = "db", Type = "tcp", Host = "db.svc", Port = 5432, Critical = true };
        return new EndpointEntry(
            spec,
            new CheckSettings(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), TimeSpan.Zero, failureThreshold, 1),
            EndpointSource.Runtime,
            gatesReadiness: false,
            TcpChecker.Instance,
            SeriesLabels.Create("app", "team", spec),
            generation: 1,
            historySize: size,
            flapThreshold: flapThreshold);
    }

    /// <summary>Records + (ok) and - (connection_refused) one second apart; returns the flapping flag after each as F/-.</summary>
    private static string Run(EndpointEntry entry, string sequence, ref int second)
    {
        var flags = new System.Text.StringBuilder();
        foreach (var step in sequence)
        {
            entry.Record(step == '+' ? CheckDetails.Ok : CheckDetails.ConnectionRefused, 0.002, Start.AddSeconds(second++), out _);
            flags.Append(entry.Read().Flapping ? 'F' : '-');
        }

        return flags.ToString();
    }

    [Fact]
    public void Ring_never_exceeds_its_size_and_allocates_nothing_under_100000_checks()
    {
        const int size = 120;
        var entry = Entry(size, flapThreshold: 5);
        var history = new List<HistorySample>(size + 1);
        entry.Record(CheckDetails.Ok, 0.001, Start, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < 100_000; i++)
        {
            entry.Record(i % 7 == 0 ? CheckDetails.Timeout : CheckDetails.Ok, 0.001, Start.AddSeconds(i), out _);
        }

        var allocatedPerCheck = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 100_000.0;
        entry.ReadHistory(history);

        Assert.Equal(size, history.Count);
        Assert.True(allocatedPerCheck < 1, $"{allocatedPerCheck:0.##} bytes allocated per check: the history must not grow");
        Assert.Equal(Start.AddSeconds(100_000 - size), history[0].At);
        Assert.Equal(Start.AddSeconds(99_999), history[^1].At);
        Assert.Equal(100_000, entry.Read().CheckCount);
    }

    [Fact]
    public void History_lists_results_oldest_first_with_health_after_thresholds_and_each_checks_detail()
    {
        var entry = Entry(size: 3, flapThreshold: 5, failureThreshold: 2);
        entry.Record(CheckDetails.Ok, 0.001, Start, out _);
        entry.Record(CheckDetails.ConnectionRefused, 0.002, Start.AddSeconds(1), out _);
        entry.Record(CheckDetails.Timeout, 0.003, Start.AddSeconds(2), out _);
        entry.Record(CheckDetails.Timeout, 0.004, Start.AddSeconds(3), out _);
        var history = new List<HistorySample>();

        entry.ReadHistory(history);

        Assert.Equal(
            [
                (Start.AddSeconds(1), true, "connection_error", "connection_refused"),
                (Start.AddSeconds(2), false, "timeout", "timeout"),
                (Start.AddSeconds(3), false, "timeout", "timeout"),
            ],
            history.Select(h => (h.At, h.Healthy, h.Status, h.Detail)));
        Assert.Equal(0.004, history[^1].LatencySeconds, 6);
    }

    [Fact]
    public void Flapping_starts_past_the_threshold_of_changes_and_ends_when_they_leave_the_window()
    {
        var entry = Entry(size: 6, flapThreshold: 3);
        var second = 0;

        // Three changes are not flapping; the fourth is. Once the oldest change leaves the six-result window, three remain.
        Assert.Equal("----F", Run(entry, "+-+-+", ref second));
        Assert.Equal("F----", Run(entry, "+++++", ref second));
        Assert.Equal(1, entry.Read().Flaps);

        // Flapping again is a second episode.
        Assert.Equal("---F", Run(entry, "-+-+", ref second));
        Assert.Equal(2, entry.Read().Flaps);
    }

    [Fact]
    public void A_single_result_window_never_flaps()
    {
        var entry = Entry(size: 1, flapThreshold: 1);
        var second = 0;

        Assert.Equal("------", Run(entry, "+-+-+-", ref second));
        Assert.Equal(0, entry.Read().Flaps);
    }
}
