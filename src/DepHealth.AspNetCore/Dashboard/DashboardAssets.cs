using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Dashboard;

/// <summary>
/// The status page: an HTML shell plus one script and one stylesheet, embedded in the assembly and served from the
/// page's own path, so a strict Content-Security-Policy (<c>'self'</c> only, nothing inline, nothing external) holds.
/// </summary>
internal sealed class DashboardAssets
{
    public const string ScriptName = "app.js";
    public const string StyleName = "app.css";

    /// <summary>Same-origin script, style and fetch only; no inline code, no frames, no forms, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<DashboardAssets> Shared = new(() => new DashboardAssets());

    private readonly string _template;

    private DashboardAssets()
    {
        _template = Encoding.UTF8.GetString(Read("index.html"));
        Script = new Asset(Read(ScriptName), "text/javascript; charset=utf-8");
        Style = new Asset(Read(StyleName), "text/css; charset=utf-8");
    }

    public static DashboardAssets Instance => Shared.Value;

    public Asset Script { get; }

    public Asset Style { get; }

    /// <summary>The page with the details URL, asset base and application name filled in, each HTML-encoded.</summary>
    public string RenderPage(string assetBase, string detailsUrl, string? application)
    {
        var encoder = HtmlEncoder.Default;
        var app = string.IsNullOrEmpty(application) ? string.Empty : encoder.Encode(application);
        return _template
            .Replace("{{DETAILS_URL}}", encoder.Encode(detailsUrl), StringComparison.Ordinal)
            .Replace("{{ASSET_BASE}}", encoder.Encode(assetBase), StringComparison.Ordinal)
            .Replace("{{TITLE_SUFFIX}}", app.Length == 0 ? string.Empty : " · " + app, StringComparison.Ordinal)
            .Replace("{{APP}}", app, StringComparison.Ordinal);
    }

    /// <summary>Serves the page for the request, resolving the details path and asset base against its PathBase.</summary>
    public Task WritePageAsync(HttpContext context, string pagePattern, string detailsPattern)
    {
        var options = context.RequestServices.GetService<IOptions<DependencyHealthOptions>>()?.Value;
        var application = options is null ? null : string.Join(" · ", new[] { options.Name, options.Group }.Where(s => !string.IsNullOrEmpty(s)));
        var pathBase = context.Request.PathBase.Value ?? string.Empty;
        var page = RenderPage(pathBase + pagePattern.TrimEnd('/'), pathBase + detailsPattern, application);
        SetSecurityHeaders(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(page, context.RequestAborted);
    }

    public static void SetSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static byte[] Read(string name)
    {
        var resource = "DepHealth.AspNetCore.Dashboard." + name;
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A static file with a strong ETag; revalidated on every load so an upgrade shows at once.</summary>
    internal sealed class Asset(byte[] content, string contentType)
    {
        private readonly string _etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";

        public Task WriteAsync(HttpContext context)
        {
            var response = context.Response;
            SetSecurityHeaders(response);
            response.Headers.CacheControl = "no-cache";
            response.Headers.ETag = _etag;
            if (context.Request.Headers.IfNoneMatch.Contains(_etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            response.ContentType = contentType;
            response.ContentLength = content.Length;
            return response.Body.WriteAsync(content, context.RequestAborted).AsTask();
        }
    }
}
