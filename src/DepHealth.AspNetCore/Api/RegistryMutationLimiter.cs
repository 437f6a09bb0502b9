using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Api;

/// <summary>
/// Limits mutations through the registry HTTP API with a token bucket (<c>DependencyHealth:Registry:MutationsPerSecond</c>),
/// so a runaway client cannot thrash the scheduler; excess requests get 429 with <c>Retry-After</c>.
/// </summary>
internal sealed class RegistryMutationLimiter : IEndpointFilter, IDisposable
{
    private readonly TokenBucketRateLimiter? _limiter;

    public RegistryMutationLimiter(IOptions<DependencyHealthOptions> options)
    {
        var perSecond = options.Value.Registry.MutationsPerSecond;
        if (perSecond > 0)
        {
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_limiter is null)
        {
            return await next(context);
        }

        using var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return await next(context);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many registry changes",
            detail: "The registry accepts at most DependencyHealth:Registry:MutationsPerSecond changes per second; retry later.");
    }

    public void Dispose() => _limiter?.Dispose();
}
