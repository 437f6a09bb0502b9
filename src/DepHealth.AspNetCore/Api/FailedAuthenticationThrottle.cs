using System.Net;
using System.Threading.RateLimiting;
using DepHealth.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Api;

/// <summary>
/// Counts failed authorizations on the registry HTTP API per client (remote address) in a fixed window
/// (<c>DependencyHealth:Registry:FailedAuthenticationLimit</c> per <c>FailedAuthenticationWindow</c>). Each failure up to
/// the limit is logged (2003), reaching it once per window (2004); from then until the window ends the client is
/// throttled: every request of it is refused, valid credentials included, or the limit would not stop guessing.
/// Logs name the client, method and path, never a header.
/// </summary>
internal sealed class FailedAuthenticationThrottle : IDisposable
{
    /// <summary>Longer paths are cut in the log: the path is chosen by the client.</summary>
    private const int MaxLoggedPath = 200;

    private readonly PartitionedRateLimiter<string>? _failures;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;

    public FailedAuthenticationThrottle(IOptions<DependencyHealthOptions> options, ILogger<FailedAuthenticationThrottle> logger)
    {
        var registry = options.Value.Registry;
        _limit = registry.FailedAuthenticationLimit;
        _window = registry.FailedAuthenticationWindow;
        _logger = logger;
        if (_limit > 0)
        {
            // One permit per allowed failure; idle partitions are dropped by the partitioned limiter itself.
            _failures = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _limit,
                Window = _window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    public bool IsEnabled => _failures is not null;

    /// <summary>
    /// Records a failure (<paramref name="outcome"/> <c>challenged</c> or <c>forbidden</c>; null for an authorized
    /// request) and decides: null when the request goes on, or how long the throttled client must wait.
    /// </summary>
    public TimeSpan? Admit(HttpContext context, string? outcome)
    {
        if (_failures is null)
        {
            return null;
        }

        var client = ClientOf(context);

        // Zero permits asks whether the client has failures left, without spending one.
        using var lease = _failures.AttemptAcquire(client, outcome is null ? 0 : 1);
        if (!lease.IsAcquired)
        {
            return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
        }

        if (outcome is not null)
        {
            var left = _failures.GetStatistics(client)?.CurrentAvailablePermits ?? 0;
            DependencyHealthLog.RegistryAuthenticationFailed(_logger, context.Request.Method, PathOf(context), client, outcome, (int)(_limit - left), _limit, _window.TotalSeconds);
            if (left == 0)
            {
                DependencyHealthLog.RegistryClientThrottled(_logger, client, _limit, _window.TotalSeconds);
            }
        }

        return null;
    }

    public void Dispose() => _failures?.Dispose();

    /// <summary>The remote address (behind a proxy, as <c>UseForwardedHeaders</c> set it); IPv4 clients of a dual-stack socket as IPv4.</summary>
    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };

    /// <summary>The path as sent on the wire (escaped, so nothing in it can forge a log line), cut to a bounded length.</summary>
    private static string PathOf(HttpContext context)
    {
        var path = (context.Request.PathBase + context.Request.Path).ToUriComponent();
        return path.Length <= MaxLoggedPath ? path : string.Concat(path.AsSpan(0, MaxLoggedPath), "…");
    }
}
