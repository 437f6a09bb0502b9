using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>The HTTP checker's options, parsed and validated from <see cref="EndpointSpec.Options"/>.</summary>
internal sealed class HttpCheckerSettings
{
    public required bool UseTls { get; init; }

    public required string PathAndQuery { get; init; }

    public required HttpMethod Method { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public AuthenticationHeaderValue? Authorization { get; init; }

    public string? HostHeader { get; init; }

    public bool SkipTlsVerify { get; init; }

    /// <summary>Pool mode: the application's named client from <see cref="IHttpClientFactory"/>; null for standalone checks.</summary>
    public string? ClientName { get; init; }

    public static HttpCheckerSettings Parse(EndpointSpec spec, ICollection<EndpointValidationError> errors)
    {
        var useTls = spec.Port == 443;
        string? urlPath = null;
        string? urlUser = null;
        string? urlPassword = null;
        var url = spec.GetOption(CheckerOptionKeys.Url);
        if (url is not null && !UrlParts.TryParse(url, out _))
        {
            errors.Add(new(CheckerOptionKeys.Url, "must be an absolute URL such as http://host:port/path"));
        }
        else if (url is not null && UrlParts.TryParse(url, out var parts))
        {
            useTls = parts.Scheme == "https";
            if (parts.Scheme is not ("http" or "https"))
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the http or https scheme for type http"));
            }

            urlPath = parts.PathAndQuery.Length == 0 ? null : parts.PathAndQuery.StartsWith('?') ? "/" + parts.PathAndQuery : parts.PathAndQuery;
            urlUser = parts.UserName;
            urlPassword = parts.UserName is null ? null : parts.Password ?? string.Empty;
        }

        var path = spec.GetOption(CheckerOptionKeys.HealthPath) ?? (urlPath is null or "/" ? "/health" : urlPath);
        if (!path.StartsWith('/') || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '#')
            || !Uri.TryCreate("http://localhost" + path, UriKind.Absolute, out _))
        {
            errors.Add(new(CheckerOptionKeys.HealthPath, "must start with '/' and contain no white space, control characters or '#'"));
        }

        var methodText = spec.GetOption(CheckerOptionKeys.Method) ?? "GET";
        var method = HttpMethod.Get;
        if (methodText.Length == 0 || methodText.Length > 20 || !methodText.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new(CheckerOptionKeys.Method, "must be an upper-case HTTP method such as GET or HEAD"));
        }
        else
        {
            method = new HttpMethod(methodText);
        }

        var headers = new List<KeyValuePair<string, string>>();
        string? authorizationHeader = null;
        foreach (var (key, value) in spec.Options)
        {
            if (!key.StartsWith(CheckerOptionKeys.Headers + ":", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = key[(CheckerOptionKeys.Headers.Length + 1)..];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                errors.Add(new(key, "header name must be an HTTP token"));
                continue;
            }

            if (!IsHeaderValue(value))
            {
                errors.Add(new(key, HeaderValueRule));
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(key, "use HostHeader to override the Host header"));
                continue;
            }

            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorizationHeader = value;
                continue;
            }

            headers.Add(new(name, value));
        }

        var bearer = spec.GetOption(CheckerOptionKeys.BearerToken);
        var basicUser = spec.GetOption(CheckerOptionKeys.BasicUsername) ?? urlUser;
        var basicPassword = spec.GetOption(CheckerOptionKeys.BasicPassword) ?? urlPassword;
        var ways = (bearer is not null ? 1 : 0) + (basicUser is not null || basicPassword is not null ? 1 : 0) + (authorizationHeader is not null ? 1 : 0);
        if (ways > 1)
        {
            errors.Add(new(CheckerOptionKeys.BearerToken, "give at most one way to authenticate: BearerToken, BasicUsername/BasicPassword (or URL credentials), or an Authorization header"));
        }

        var bearerValid = bearer is { Length: > 0 } && bearer.All(c => c is > ' ' and <= '~');
        if (bearer is not null && !bearerValid)
        {
            errors.Add(new(CheckerOptionKeys.BearerToken, "must be a non-empty token of printable ASCII without spaces, line breaks or NUL"));
        }

        if ((spec.GetOption(CheckerOptionKeys.BasicUsername) is null) != (spec.GetOption(CheckerOptionKeys.BasicPassword) is null))
        {
            errors.Add(new(CheckerOptionKeys.BasicUsername, "BasicUsername and BasicPassword go together"));
        }

        if (basicUser is not null && basicUser.Contains(':', StringComparison.Ordinal))
        {
            errors.Add(new(CheckerOptionKeys.BasicUsername, "must not contain ':'"));
        }

        var hostHeader = spec.GetOption(CheckerOptionKeys.HostHeader);
        if (hostHeader is not null)
        {
            var hostOnly = hostHeader;
            var colon = hostHeader.LastIndexOf(':');
            if (colon > 0 && !hostHeader.EndsWith(']'))
            {
                hostOnly = hostHeader[..colon];
                if (!EndpointAddressParser.TryParsePort(hostHeader[(colon + 1)..], out _))
                {
                    errors.Add(new(CheckerOptionKeys.HostHeader, "port must be a number from 1 to 65535"));
                }
            }

            if (!EndpointAddressParser.IsValidHost(hostOnly.Trim('[', ']'), out _))
            {
                errors.Add(new(CheckerOptionKeys.HostHeader, "must be a host name, optionally with :port"));
            }
        }

        var skipVerify = false;
        var skipText = spec.GetOption(CheckerOptionKeys.TlsSkipVerify);
        if (skipText is not null && !bool.TryParse(skipText, out skipVerify))
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "must be true or false"));
        }

        var clientName = spec.GetOption(CheckerOptionKeys.HttpClientName);
        if (clientName is not null && (clientName.Length is 0 or > 200 || clientName.Any(char.IsControl) || clientName.Trim().Length != clientName.Length))
        {
            errors.Add(new(CheckerOptionKeys.HttpClientName, "must be the name of a client registered with AddHttpClient: 1 to 200 characters, no control characters or surrounding spaces"));
        }
        else if (clientName is not null && skipText is not null)
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "cannot be combined with HttpClientName: certificate validation belongs to the named client's primary handler"));
        }

        // The header objects are built only from values that passed their rule: their constructors throw on the others.
        AuthenticationHeaderValue? authorization = null;
        AuthenticationHeaderValue? parsedHeader = null;
        if (authorizationHeader is not null && !AuthenticationHeaderValue.TryParse(authorizationHeader, out parsedHeader))
        {
            errors.Add(new($"{CheckerOptionKeys.Headers}:Authorization", "must be '<scheme> <credentials>', for example 'Bearer <token>'"));
        }

        if (bearer is not null)
        {
            authorization = bearerValid ? new AuthenticationHeaderValue("Bearer", bearer) : null;
        }
        else if (basicUser is not null)
        {
            authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basicUser}:{basicPassword}")));
        }
        else
        {
            authorization = parsedHeader;
        }

        return new HttpCheckerSettings
        {
            UseTls = useTls,
            PathAndQuery = path,
            Method = method,
            Headers = headers,
            Authorization = authorization,
            HostHeader = hostHeader,
            SkipTlsVerify = skipVerify,
            ClientName = clientName,
        };
    }

    /// <summary>The rule of a header value: what HttpClient sends without refusing it.</summary>
    public const string HeaderValueRule = "header value must be printable ASCII (tabs allowed), without line breaks or NUL";

    public static bool IsHeaderValue(string value) => value.All(c => c is '\t' or (>= ' ' and <= '~'));

    public Uri RequestUri(EndpointSpec endpoint)
    {
        var host = endpoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Host}]" : endpoint.Host;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{(UseTls ? "https" : "http")}://{host}:{endpoint.Port}{PathAndQuery}"));
    }
}
