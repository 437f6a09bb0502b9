using System.Net;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>
/// The redirect rules of the HTTP check, which follows redirects itself: 301, 302, 303, 307 and 308, at most
/// <see cref="MaxRedirects"/>, only to http(s), never from https to http, and (for runtime endpoints) only to hosts the
/// host policy allows. A redirect that may not be followed fails the check before anything is sent to its target.
/// </summary>
internal static class HttpRedirect
{
    public const int MaxRedirects = 10;

    /// <summary>The URI a redirect response sends the check to (a relative Location resolved against <paramref name="current"/>), or null when the response is not a redirect.</summary>
    public static Uri? Target(HttpResponseMessage response, Uri current)
    {
        var redirect = response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
        if (!redirect || response.Headers.Location is not { } location)
        {
            return null;
        }

        return location.IsAbsoluteUri ? location : new Uri(current, location);
    }

    /// <summary>The check's failure when the redirect from <paramref name="current"/> to <paramref name="next"/> may not be followed, else null.</summary>
    public static CheckResult? Refusal(Uri current, Uri next, int redirects, HostPolicy? policy)
    {
        if (redirects >= MaxRedirects)
        {
            return Refused($"it answered more than {MaxRedirects} redirects in a row");
        }

        if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
        {
            return Refused($"a redirect leads to the scheme '{next.Scheme}'; only http and https are followed");
        }

        if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
        {
            return Refused("a redirect leads from https to http; a check never leaves TLS");
        }

        if (policy?.Check(next.IdnHost) is { } refused)
        {
            return Refused($"a redirect leads to a host the host policy refuses: {refused}");
        }

        return null;
    }

    /// <summary>The method of the next request: as browsers do, 303 turns anything but GET and HEAD into GET, 301 and 302 turn POST into GET; 307 and 308 keep it.</summary>
    public static HttpMethod NextMethod(HttpMethod method, HttpStatusCode status) => status switch
    {
        HttpStatusCode.SeeOther when method != HttpMethod.Head => HttpMethod.Get,
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found when method == HttpMethod.Post => HttpMethod.Get,
        _ => method,
    };

    /// <summary>Whether two URIs have the same origin: scheme, host and port.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;

    // Nothing was sent to the target: the detail is the generic error (the contract has no detail for a refused redirect).
    private static CheckResult Refused(string why) =>
        CheckResult.Unhealthy(CheckDetails.Error, $"The redirect was not followed: {why}.");
}
