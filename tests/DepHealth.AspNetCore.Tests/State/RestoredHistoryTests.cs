using DepHealth.AspNetCore.Checks.Tcp;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>Results saved before a restart refill an entry's history; its health stays unknown until a fresh check.</summary>
[Trait("Category", "unit")]
public sealed class RestoredHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 14, 10, 30, 0, TimeSpan.Zero);

    private static EndpointEntry Entry(int size = 120, int flapThreshold = 5)
    {
        var spec = new EndpointSpec { Dependency = "db", Type = "tcp", Host = "db.svc", Port = 5432, Critical = true };
        return new EndpointEntry(
            spec,
            new CheckSettings(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), TimeSpan.Zero, 1, 1),
            EndpointSource.Configuration,
            gatesReadiness: true,
            TcpChecker.Instance,
            SeriesLabels.Create("app", "team", spec),
            generation: 1,
            historySize: size,
            flapThreshold: flapThreshold);
    }

    private static List<HistorySample> Saved(int count, Func<int, bool>? healthy = null) =>
        [.. Enumerable.Range(0, count).Select(i => new HistorySample(
            Start.AddSeconds(15 * i), healthy?.Invoke(i) ?? true, healthy?.Invoke(i) == false ? CheckDetails.ConnectionRefused : CheckDetails.Ok, 0.001 * (i + 1)))];

    private static List<HistorySample> History(EndpointEntry entry)
    {
        var history = new List<HistorySample>();
        entry.ReadHistory(history);
        return history;
    }

    [Fact]
    public void Restored_results_become_the_history()
    {
        var entry = Entry();
        var saved = Saved(3);

        Assert.True(entry.Restore(saved));

        Assert.Equal(saved, History(entry));
    }

    [Fact]
    public void Restored_results_leave_health_unknown_for_readiness_and_metrics()
    {
        var entry = Entry();

        entry.Restore(Saved(3));

        Assert.Equal(HealthState.Unknown, entry.ReadinessHealth);
        Assert.False(entry.Read().HasResult);
        Assert.Equal(0, entry.Read().CheckCount);
    }

    [Fact]
    public void Details_show_the_newest_restored_result_until_the_first_fresh_check()
    {
        var entry = Entry();
        entry.Restore(Saved(3, i => i != 2));

        var shown = entry.ReadShown(out var restored);

        Assert.True(restored);
        Assert.Equal(HealthState.Unhealthy, shown.Health);
        Assert.Equal(CheckDetails.ConnectionRefused, shown.Detail);
        Assert.Equal("connection_error", shown.Status);
        Assert.Equal(Start.AddSeconds(30), shown.LastCheckedAt);
        Assert.Equal(0.003, shown.LatencySeconds, 6);
    }

    [Fact]
    public void First_fresh_check_replaces_the_restored_result_and_follows_it_in_the_history()
    {
        var entry = Entry();
        entry.Restore(Saved(3));

        entry.Record(CheckDetails.Timeout, 0.5, Start.AddMinutes(10), out _);
        var shown = entry.ReadShown(out var restored);

        Assert.False(restored);
        Assert.Equal(HealthState.Unhealthy, shown.Health);
        Assert.Equal(CheckDetails.Timeout, shown.Detail);
        Assert.Equal([Start, Start.AddSeconds(15), Start.AddSeconds(30), Start.AddMinutes(10)], History(entry).Select(s => s.At));
    }

    [Fact]
    public void Entry_that_has_results_refuses_restored_ones()
    {
        var entry = Entry();
        entry.Record(CheckDetails.Ok, 0.001, Start.AddMinutes(10), out _);

        Assert.False(entry.Restore(Saved(3)));

        Assert.Single(History(entry));
    }

    [Fact]
    public void Only_the_newest_restored_results_that_fit_the_ring_are_kept()
    {
        var entry = Entry(size: 2);

        entry.Restore(Saved(5));

        Assert.Equal([Start.AddSeconds(45), Start.AddSeconds(60)], History(entry).Select(s => s.At));
    }

    [Fact]
    public void Restored_flapping_is_shown_but_not_counted_as_a_new_flap()
    {
        var entry = Entry(flapThreshold: 2);

        entry.Restore(Saved(6, i => i % 2 == 0));

        Assert.True(entry.ReadShown(out _).Flapping);
        Assert.Equal(0, entry.Read().Flaps);
    }
}
