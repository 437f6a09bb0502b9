using DepHealth.AspNetCore.Api;
using DepHealth.AspNetCore.Configuration;
using DepHealth.AspNetCore.Dashboard;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Probes;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the probe, metrics, details and registry endpoints. Each reads the state store only.</summary>
public static class DependencyHealthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /health/live</c> (checks tagged <c>live</c>), <c>GET /health/ready</c> (checks tagged <c>ready</c>)
    /// and <c>GET /health/startup</c> (503 until every critical endpoint configured at startup has finished its first
    /// check, then 200 for good) with small JSON bodies. The package's own checks are evaluated without
    /// <c>HealthCheckService</c>, so probes log nothing per request; the application's checks with those tags join them.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="livePattern">The liveness path.</param>
    /// <param name="readyPattern">The readiness path.</param>
    /// <param name="startupPattern">The startup path, for a Kubernetes startupProbe.</param>
    /// <returns>A builder that applies conventions to the three endpoints.</returns>
    public static IEndpointConventionBuilder MapDependencyHealthProbes(
        this IEndpointRouteBuilder endpoints,
        string livePattern = "/health/live",
        string readyPattern = "/health/ready",
        string startupPattern = "/health/startup")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var startup = new StartupProbe(services.GetRequiredService<HealthStateStore>(), services.GetRequiredService<SchedulerStatistics>());
        return new CompositeConventionBuilder(
        [
            endpoints.Map(livePattern, new ProbeEndpoint(DependencyHealthServiceCollectionExtensions.LiveTag).InvokeAsync).WithDisplayName(ProbeDisplayName),
            endpoints.Map(readyPattern, new ProbeEndpoint(DependencyHealthServiceCollectionExtensions.ReadyTag).InvokeAsync).WithDisplayName(ProbeDisplayName),
            endpoints.Map(startupPattern, startup.InvokeAsync).WithDisplayName(ProbeDisplayName),
        ]);
    }

    /// <summary>The display name <c>MapHealthChecks</c> gives its endpoints, kept for whoever filters on it.</summary>
    private const string ProbeDisplayName = "Health checks";

    /// <summary>
    /// Maps the dephealth metrics: the Prometheus text format 0.0.4 by default, OpenMetrics 1.0.0 when <c>Accept</c>
    /// prefers it, gzip-compressed when <c>Accept-Encoding</c> allows it.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path.</param>
    public static IEndpointConventionBuilder MapDependencyHealthMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, static (HttpContext context, PrometheusExposition exposition) => MetricsEndpoint.WriteAsync(context, exposition));
    }

    /// <summary>The response header <c>/health/details</c> carries, with the value <c>true</c>, while a configuration reload is applied.</summary>
    public const string ReloadingHeader = "X-DepHealth-Reloading";

    /// <summary>
    /// Maps the contract's details JSON for every endpoint, keyed <c>dependency:host:port</c>, each with
    /// <c>flapping</c>; with <c>?history=true</c> each also lists its kept results (<c>history</c>, oldest first). While
    /// a configuration reload is being applied the response carries <see cref="ReloadingHeader"/><c>: true</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The path.</param>
    public static IEndpointConventionBuilder MapDependencyHealthDetails(this IEndpointRouteBuilder endpoints, string pattern = "/health/details")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, static async (HttpContext context, HealthDetailsWriter writer, ConfigurationReloader reloader) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            if (reloader.IsApplying)
            {
                context.Response.Headers[ReloadingHeader] = "true";
            }

            var history = context.Request.Query["history"];
            await writer.WriteAsync(context.Response.BodyWriter, includeHistory: history == "true" || history == "1", context.RequestAborted);
        });
    }

    /// <summary>
    /// Maps the registry API: <c>GET</c> lists, <c>POST</c> adds, <c>PUT /{dependency}/{host}/{port}</c> updates,
    /// <c>DELETE /{dependency}/{host}/{port}</c> removes. Protect it, for example with <c>RequireAuthorization</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The group's path.</param>
    public static RouteGroupBuilder MapEndpointRegistryApi(this IEndpointRouteBuilder endpoints, string pattern = "/admin/endpoints")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return EndpointRegistryApi.Map(endpoints, pattern);
    }

    /// <summary>
    /// Maps the status page: a self-contained HTML page (script and stylesheet served beside it, nothing from other
    /// origins) that shows every endpoint grouped by dependency, failing first, and refreshes itself from the details
    /// endpoint every 3 seconds. Protect it like the details endpoint, for example with <c>RequireAuthorization</c>:
    /// the returned builder applies to the page and its assets.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The page's path, a literal path; the assets are served at <c>{pattern}/app.js</c> and <c>{pattern}/app.css</c>.</param>
    /// <param name="detailsPattern">The path of <see cref="MapDependencyHealthDetails"/>, which the page reads.</param>
    public static IEndpointConventionBuilder MapDependencyHealthDashboard(
        this IEndpointRouteBuilder endpoints, string pattern = "/health/ui", string detailsPattern = "/health/details")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentException.ThrowIfNullOrEmpty(detailsPattern);
        var assets = DashboardAssets.Instance;
        var group = endpoints.MapGroup(pattern);
        group.MapGet("/", (HttpContext context) => assets.WritePageAsync(context, pattern, detailsPattern)).ExcludeFromDescription();
        group.MapGet("/" + DashboardAssets.ScriptName, (HttpContext context) => assets.Script.WriteAsync(context)).ExcludeFromDescription();
        group.MapGet("/" + DashboardAssets.StyleName, (HttpContext context) => assets.Style.WriteAsync(context)).ExcludeFromDescription();
        return group;
    }

    private sealed class CompositeConventionBuilder(IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
