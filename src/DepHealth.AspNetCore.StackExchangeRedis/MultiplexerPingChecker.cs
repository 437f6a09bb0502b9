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
    private Task<PingFailure?>? _ping;

    // Why the last PING failed; reported at once while the server stays disconnected.
    private volatile string? _lastFailure;

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var server = _server ??= MultiplexerEndpoints.Find(multiplexer, endpoint);
        if (server is null)
        {
            return CheckResult.Unhealthy(CheckDetails.Error, $"{endpoint.Key} is not a configured endpoint of the application's IConnectionMultiplexer.");
        }

        var ping = Ping(server);

        // The multiplexer holds a command for a disconnected server until its SyncTimeout; the cause is known already.
        if (!server.IsConnected && _lastFailure is { } known)
        {
            return CheckResult.Unhealthy(known, $"The application's multiplexer has no connection to {endpoint.Key} ({known}).");
        }

        // PingAsync takes no token: the check stops waiting at its timeout, the PING ends at the multiplexer's.
        var failure = await ping.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            return CheckResult.Healthy;
        }

        if (failure.Detail is null)
        {
            // Not raised by the multiplexer: the core's classifier decides.
            return CheckResult.FromException(failure.Exception);
        }

        return CheckResult.Unhealthy(
            failure.Detail, $"Redis PING to {endpoint.Key} through the application's multiplexer failed ({Reason(failure.Exception)}).", failure.Exception);
    }

    private static string Reason(Exception exception) => exception switch
    {
        RedisServerException server => $"error reply {server.Kind}",
        RedisConnectionException connection => connection.FailureType.ToString(),
        _ => exception.GetType().Name,
    };

    private Task<PingFailure?> Ping(IServer server)
    {
        lock (_gate)
        {
            return _ping is { IsCompleted: false } pending ? pending : _ping = PingAsync(server);
        }
    }

    /// <summary>Never faults, so a PING whose check stopped waiting leaves no unobserved exception behind.</summary>
    private async Task<PingFailure?> PingAsync(IServer server)
    {
        try
        {
            await server.PingAsync().ConfigureAwait(false);
            _lastFailure = null;
            return null;
        }
#pragma warning disable CA1031 // Every failure is the check's outcome, classified by the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var detail = MultiplexerErrors.Classify(e);
            _lastFailure = detail;
            return new PingFailure(detail, e);
        }
    }

    private sealed record PingFailure(string? Detail, Exception Exception);
}
