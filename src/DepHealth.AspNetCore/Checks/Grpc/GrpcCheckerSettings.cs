using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Grpc;

/// <summary>
/// The gRPC checker's options: <c>ServiceName</c>, <c>Metadata:&lt;key&gt;</c>, one of <c>BearerToken</c>,
/// <c>BasicUsername</c>/<c>BasicPassword</c> (or URL credentials) or <c>Metadata:authorization</c>, <c>GrpcAuthority</c>,
/// <c>Tls</c> and <c>TlsSkipVerify</c>.
/// </summary>
/// <remarks>
/// TLS: <c>Tls</c> decides when set; otherwise an <c>https://</c> URL means TLS and <c>http://</c> plaintext, and for
/// <c>grpc://</c> or Host/Port only port 443 (the scheme's default) means TLS, as gRPC servers on other ports are mostly
/// plaintext (h2c). Set <c>Tls=true</c> for TLS on another port.
/// </remarks>
internal sealed class GrpcCheckerSettings
{
    // Headers the gRPC transport or HTTP/2 itself owns.
    private static readonly string[] ReservedMetadata =
        ["content-type", "te", "user-agent", "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length"];

    public bool? Tls { get; init; }

    public required byte[] RequestFrame { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; }

    public AuthenticationHeaderValue? Authorization { get; init; }

    public string? Authority { get; init; }

    public bool SkipTlsVerify { get; init; }

    public static GrpcCheckerSettings Parse(EndpointSpec spec, ICollection<EndpointValidationError> errors)
    {
        bool? tls = null;
        string? urlUser = null;
        string? urlPassword = null;
        var urlText = spec.GetOption(CheckerOptionKeys.Url);
        if (urlText is not null)
        {
            var url = UrlParts.Parse(urlText);
            tls = url.Scheme switch { "https" => true, "http" => false, _ => null };
            if (url.Scheme is not ("grpc" or "http" or "https"))
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the grpc, http or https scheme for type grpc"));
            }

            urlUser = url.UserName;
            urlPassword = url.UserName is null ? null : url.Password ?? string.Empty;
        }

        var tlsText = spec.GetOption(CheckerOptionKeys.Tls);
        if (tlsText is not null)
        {
            if (!bool.TryParse(tlsText, out var explicitTls))
            {
                errors.Add(new(CheckerOptionKeys.Tls, "must be true or false"));
            }
            else if (tls is not null && tls != explicitTls)
            {
                errors.Add(new(CheckerOptionKeys.Tls, "contradicts the URL scheme (http is plaintext, https is TLS)"));
            }
            else
            {
                tls = explicitTls;
            }
        }

        var skipVerify = false;
        var skipText = spec.GetOption(CheckerOptionKeys.TlsSkipVerify);
        if (skipText is not null && !bool.TryParse(skipText, out skipVerify))
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "must be true or false"));
        }

        var service = spec.GetOption(CheckerOptionKeys.ServiceName) ?? string.Empty;
        if (service.Length > 1024 || service.Any(char.IsControl))
        {
            errors.Add(new(CheckerOptionKeys.ServiceName, "must be at most 1024 characters without control characters"));
        }

        var metadata = new List<KeyValuePair<string, string>>();
        string? authorizationMetadata = null;
        foreach (var (key, value) in spec.Options)
        {
            if (!key.StartsWith(CheckerOptionKeys.Metadata + ":", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // gRPC metadata keys are lower-case; configuration keys are case-insensitive, so fold them.
            var name = key[(CheckerOptionKeys.Metadata.Length + 1)..].ToLowerInvariant();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add(new(key, "metadata key must be made of a-z, 0-9, '-', '_' and '.'"));
                continue;
            }

            if (name.StartsWith("grpc-", StringComparison.Ordinal) || ReservedMetadata.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new(key, "metadata key is reserved by gRPC or HTTP/2"));
                continue;
            }

            if (!value.All(c => c is >= ' ' and <= '~'))
            {
                errors.Add(new(key, "metadata value must be printable ASCII"));
                continue;
            }

            if (name == "authorization")
            {
                authorizationMetadata = value;
            }

            metadata.Add(new(name, value));
        }

        var bearer = spec.GetOption(CheckerOptionKeys.BearerToken);
        var optionUser = spec.GetOption(CheckerOptionKeys.BasicUsername);
        var optionPassword = spec.GetOption(CheckerOptionKeys.BasicPassword);
        var basicUser = optionUser ?? urlUser;
        var basicPassword = optionPassword ?? urlPassword;
        var ways = (bearer is not null ? 1 : 0) + (basicUser is not null ? 1 : 0) + (authorizationMetadata is not null ? 1 : 0);
        if (ways > 1)
        {
            errors.Add(new(CheckerOptionKeys.BearerToken, "give at most one way to authenticate: BearerToken, BasicUsername/BasicPassword (or URL credentials), or Metadata:authorization"));
        }

        var bearerValid = bearer is { Length: > 0 } && bearer.All(c => c is > ' ' and <= '~');
        if (bearer is not null && !bearerValid)
        {
            errors.Add(new(CheckerOptionKeys.BearerToken, "must be a non-empty token of printable ASCII without spaces"));
        }

        if ((optionUser is null) != (optionPassword is null))
        {
            errors.Add(new(CheckerOptionKeys.BasicUsername, "BasicUsername and BasicPassword go together"));
        }

        if (basicUser is not null && basicUser.Contains(':', StringComparison.Ordinal))
        {
            errors.Add(new(CheckerOptionKeys.BasicUsername, "must not contain ':'"));
        }

        var authority = spec.GetOption(CheckerOptionKeys.GrpcAuthority);
        if (authority is not null && !IsValidAuthority(authority))
        {
            errors.Add(new(CheckerOptionKeys.GrpcAuthority, "must be a host name, optionally with :port (IPv6 in brackets)"));
        }

        AuthenticationHeaderValue? authorization = null;
        if (bearer is not null)
        {
            // Built only from a token that passed its rule: the constructor throws on line breaks and NUL.
            authorization = bearerValid ? new AuthenticationHeaderValue("Bearer", bearer) : null;
        }
        else if (basicUser is not null)
        {
            authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basicUser}:{basicPassword}")));
        }

        return new GrpcCheckerSettings
        {
            Tls = tls,
            RequestFrame = GrpcHealthMessages.EncodeRequestFrame(service),
            Metadata = metadata,
            Authorization = authorization,
            Authority = authority,
            SkipTlsVerify = skipVerify,
        };
    }

    public bool UseTls(EndpointSpec endpoint) => Tls ?? endpoint.Port == 443;

    public Uri RequestUri(EndpointSpec endpoint)
    {
        var host = endpoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Host}]" : endpoint.Host;
        return new Uri(string.Create(
            CultureInfo.InvariantCulture, $"{(UseTls(endpoint) ? "https" : "http")}://{host}:{endpoint.Port}/grpc.health.v1.Health/Check"));
    }

    private static bool IsValidAuthority(string authority)
    {
        var host = authority;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[1..close];
            var rest = authority[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0 && authority.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // An IPv6 address needs brackets before a port can follow it.
                return false;
            }

            if (colon >= 0)
            {
                host = authority[..colon];
                port = authority[(colon + 1)..];
            }
        }

        return EndpointAddressParser.IsValidHost(host, out _) && (port is null || EndpointAddressParser.TryParsePort(port, out _));
    }
}
