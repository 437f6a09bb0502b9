using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DepHealth.AspNetCore.Api;

/// <summary>
/// Wraps the application's <see cref="IAuthorizationMiddlewareResultHandler"/> (or the default one) to throttle failed
/// authorizations on the registry HTTP API (<see cref="FailedAuthenticationThrottle"/>): a throttled client gets 429 with
/// <c>Retry-After</c>. Every other endpoint, and every decision of the application's own authorization, is left as it was.
/// </summary>
internal sealed class RegistryAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner, FailedAuthenticationThrottle throttle)
    : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!throttle.IsEnabled || context.GetEndpoint()?.Metadata.GetMetadata<RegistryApiEndpointMetadata>() is null)
        {
            return inner.HandleAsync(next, context, policy, authorizeResult);
        }

        var outcome = authorizeResult.Forbidden ? "forbidden" : authorizeResult.Challenged ? "challenged" : null;
        return throttle.Admit(context, outcome) is { } retryAfter
            ? TooManyAsync(context, retryAfter)
            : inner.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>Replaces the registered handler, if any, by this one around it, keeping its lifetime.</summary>
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<FailedAuthenticationThrottle>();
        var wrapped = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (wrapped is not null)
        {
            services.Remove(wrapped);
        }

        services.Add(ServiceDescriptor.Describe(
            typeof(IAuthorizationMiddlewareResultHandler),
            sp => new RegistryAuthorizationResultHandler(Create(wrapped, sp), sp.GetRequiredService<FailedAuthenticationThrottle>()),
            wrapped?.Lifetime ?? ServiceLifetime.Singleton));
    }

    /// <summary>
    /// Fails the mapping of the registry API when another handler was registered after <c>AddDependencyHealth</c>:
    /// it would replace this one and silently turn the throttle off.
    /// </summary>
    public static void EnsureInstalled(IServiceProvider services)
    {
        if (!services.GetRequiredService<FailedAuthenticationThrottle>().IsEnabled)
        {
            return;
        }

        using var scope = services.CreateScope();
        if (scope.ServiceProvider.GetService<IAuthorizationMiddlewareResultHandler>() is not RegistryAuthorizationResultHandler)
        {
            throw new InvalidOperationException(
                "DependencyHealth:Registry:FailedAuthenticationLimit throttles failed authorizations on the registry API by wrapping the "
                + "IAuthorizationMiddlewareResultHandler, but another one was registered after AddDependencyHealth: register it before "
                + "AddDependencyHealth (the package then wraps it), or set FailedAuthenticationLimit to 0.");
        }
    }

    private static IAuthorizationMiddlewareResultHandler Create(ServiceDescriptor? wrapped, IServiceProvider services) => wrapped switch
    {
        { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => instance,
        { ImplementationFactory: { } factory } => (IAuthorizationMiddlewareResultHandler)factory(services),
        { ImplementationType: { } type } => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(services, type),
        _ => new AuthorizationMiddlewareResultHandler(),
    };

    private static Task TooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many failed authorizations",
            detail: "This client failed authorization on the registry API too often; retry after the Retry-After delay.").ExecuteAsync(context);
    }
}
