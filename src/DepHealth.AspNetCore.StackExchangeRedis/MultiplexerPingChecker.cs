using StackExchange.Redis;

namespace DepHealth.AspNetCore.StackExchangeRedis;

/// <summary>
/// Redis in pool mode: <c>PING</c> to the endpoint's server through the application's multiplexer, which it never
/// connects, reconfigures or disposes. At most one PING per endpoint is in flight: a check that finds the previous one
/// still pending (its check timed out) waits for that one instead of queueing another.
/// </summary>
internal sealed class MultiplexerPingChecker(IConnectionMultiplexer multiplexer) : IDependencyChecker
{
    private readonly Lock _gate = new();
    private IServer? _server;
    private Task<TimeSpan>? _ping;

    // Why the last PING failed; reported at once while the server stays disconnected.
    private volatile string? _lastFailure;

    public async ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var server = _server ??= MultiplexerEndpoints.Find(multiplexer, endpoint)
            ?? throw new DependencyCheckException(CheckDetails.Error, $"{endpoint.Key} is not a configured endpoint of the application's IConnectionMultiplexer.");
        var ping = Ping(server);

        // The multiplexer holds a command for a disconnected server until its AsyncTimeout; the cause is known already.
        if (!server.IsConnected && _lastFailure is { } known)
        {
            throw new DependencyCheckException(known, $"The application's multiplexer has no connection to {endpoint.Key} ({known}).");
        }

        try
        {
            // PingAsync takes no token: the check stops waiting at its timeout, the PING ends at the multiplexer's.
            await ping.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (MultiplexerErrors.Classify(e) is { } detail)
        {
            throw new DependencyCheckException(detail, $"Redis PING to {endpoint.Key} through the application's multiplexer failed ({Reason(e)}).", e);
        }
    }

    private static string Reason(Exception exception) => exception switch
    {
        RedisServerException server => $"error reply {server.Kind}",
        RedisConnectionException connection => connection.FailureType.ToString(),
        _ => exception.GetType().Name,
    };

    private Task<TimeSpan> Ping(IServer server)
    {
        lock (_gate)
        {
            if (_ping is { IsCompleted: false } pending)
            {
                return pending;
            }

            Task<TimeSpan> ping;
            try
            {
                ping = server.PingAsync();
            }
            catch (Exception e)
            {
                ping = Task.FromException<TimeSpan>(e);
            }

            // Observes every outcome, also of a PING whose check stopped waiting, and remembers why it failed.
            _ = ping.ContinueWith(
                static (t, state) => ((MultiplexerPingChecker)state!)._lastFailure = t.IsCompletedSuccessfully ? null : Classify(t),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return _ping = ping;
        }
    }

    private static string Classify(Task task) =>
        task.Exception?.InnerException is { } e ? MultiplexerErrors.Classify(e) ?? CheckDetails.Error : CheckDetails.Timeout;
}
