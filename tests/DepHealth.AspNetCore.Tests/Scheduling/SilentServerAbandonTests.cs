using DepHealth.AspNetCore.Scheduling;
using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Tests.Scheduling;

/// <summary>
/// The built-in checkers honour cancellation: against a server that accepts, reads the request and never answers, the
/// scheduled check is a timeout, the call ends soon after, and nothing is reported abandoned.
/// </summary>
[Trait("Category", "unit")]
public sealed class SilentServerAbandonTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("http://127.0.0.1:{0}/health")]
    [InlineData("redis://127.0.0.1:{0}/0")]
    [InlineData("grpc://127.0.0.1:{0}")]
    [InlineData("kafka://127.0.0.1:{0}")]
    public async Task Check_of_a_server_that_never_answers_is_a_timeout_and_not_abandoned(string urlFormat)
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            var buffer = new byte[1024];
            if (await stream.ReadAsync(buffer, ct) > 0)
            {
                requested.TrySetResult();
            }

            await Task.Delay(System.Threading.Timeout.Infinite, ct);
        });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Dependencies:silent:Url"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, server.Port),
            ["DependencyHealth:Dependencies:silent:Critical"] = "true",
        }).Build();
        await using var harness = new SchedulerHarness(configuration: configuration);
        await harness.StartAsync();
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(30));

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync("silent", "127.0.0.1", server.Port, 1);
        await Eventually.TrueAsync(() => harness.Statistics.InFlight == 0, "the cancelled call ended");
        harness.Time.Advance(EndpointLoop.AbandonGrace);

        Assert.Equal("timeout", harness.State("silent", "127.0.0.1", server.Port).Detail);
        Assert.Equal(0, harness.Statistics.Abandoned);
        Assert.Empty(harness.Logs.WithEventId(1005));
    }
}
