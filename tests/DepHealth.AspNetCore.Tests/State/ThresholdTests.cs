using DepHealth.AspNetCore.Checks.Tcp;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>Contract §2: the first result sets the state; afterwards only reaching a threshold flips it.</summary>
[Trait("Category", "unit")]
public sealed class ThresholdTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 14, 10, 30, 0, TimeSpan.Zero);

    internal static EndpointEntry Entry(int failureThreshold = 1, int successThreshold = 1)
    {
        var spec = new EndpointSpec { Dependency = "db", Type = "tcp", Host = "db.svc", Port = 5432, Critical = true };
        return new EndpointEntry(
            spec,
            new CheckSettings(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), TimeSpan.Zero, failureThreshold, successThreshold),
            EndpointSource.Runtime,
            gatesReadiness: false,
            TcpChecker.Instance,
            SeriesLabels.Create("app", "team", spec),
            generation: 1);
    }

    /// <summary>Runs a sequence of results (+ ok, - failure) and returns the health after each as H/U.</summary>
    private static string Run(string sequence, int failureThreshold, int successThreshold)
    {
        var entry = Entry(failureThreshold, successThreshold);
        var states = new System.Text.StringBuilder();
        foreach (var step in sequence)
        {
            entry.Record(step == '+' ? CheckDetails.Ok : CheckDetails.ConnectionRefused, 0.001, At, out _);
            states.Append(entry.Health == HealthState.Healthy ? 'H' : 'U');
        }

        return states.ToString();
    }

    [Fact]
    public void Endpoint_is_unknown_before_its_first_check() =>
        Assert.Equal(HealthState.Unknown, Entry().Health);

    [Theory]
    [InlineData("+", 3, 3, "H")]
    [InlineData("-", 3, 3, "U")]
    public void First_result_sets_the_state_directly_whatever_the_thresholds(string sequence, int failures, int successes, string expected) =>
        Assert.Equal(expected, Run(sequence, failures, successes));

    [Theory]
    [InlineData("+--", 3, 1, "HHH")]
    [InlineData("+---", 3, 1, "HHHU")]
    [InlineData("+--+---", 3, 1, "HHHHHHU")]
    [InlineData("+-", 1, 1, "HU")]
    public void Healthy_endpoint_turns_unhealthy_exactly_at_the_failure_threshold(string sequence, int failures, int successes, string expected) =>
        Assert.Equal(expected, Run(sequence, failures, successes));

    [Theory]
    [InlineData("-+", 1, 2, "UU")]
    [InlineData("-++", 1, 2, "UUH")]
    [InlineData("-+-++", 1, 2, "UUUUH")]
    [InlineData("-+", 1, 1, "UH")]
    public void Unhealthy_endpoint_recovers_exactly_at_the_success_threshold(string sequence, int failures, int successes, string expected) =>
        Assert.Equal(expected, Run(sequence, failures, successes));

    [Fact]
    public void Every_check_updates_status_detail_and_latency_even_without_a_transition()
    {
        var entry = Entry(failureThreshold: 3);
        entry.Record(CheckDetails.Ok, 0.002, At, out _);
        var transition = entry.Record(CheckDetails.Timeout, 5.0, At.AddSeconds(15), out _);

        var state = entry.Read();
        Assert.Equal(HealthTransition.None, transition);
        Assert.Equal(HealthState.Healthy, state.Health);
        Assert.Equal("timeout", state.Status);
        Assert.Equal("timeout", state.Detail);
        Assert.Equal(5.0, state.LatencySeconds);
        Assert.Equal(At.AddSeconds(15), state.LastCheckedAt);
        Assert.Equal(2, state.CheckCount);
    }

    [Fact]
    public void Transitions_are_reported_once_when_the_state_flips()
    {
        var entry = Entry(failureThreshold: 2, successThreshold: 2);
        var transitions = new[] { "ok", "error", "error", "error", "ok", "ok", "ok" }
            .Select(d => entry.Record(d, 0.001, At, out _))
            .ToArray();

        Assert.Equal(
            [HealthTransition.FirstHealthy, HealthTransition.None, HealthTransition.BecameUnhealthy, HealthTransition.None,
             HealthTransition.None, HealthTransition.Recovered, HealthTransition.None],
            transitions);
    }

    [Fact]
    public void Removed_entry_records_nothing()
    {
        var entry = Entry();
        entry.MarkRemoved();

        entry.Record(CheckDetails.Ok, 0.001, At, out var written);

        Assert.False(written);
        Assert.Equal(0, entry.Read().CheckCount);
    }

    [Theory]
    [InlineData(0.0005, 0)]
    [InlineData(0.001, 0)]
    [InlineData(0.0011, 1)]
    [InlineData(5.0, 7)]
    [InlineData(5.01, 8)]
    public void Latency_falls_into_the_first_bucket_whose_bound_is_not_below_it(double seconds, int bucket) =>
        Assert.Equal(bucket, LatencyBuckets.IndexOf(seconds));
}
