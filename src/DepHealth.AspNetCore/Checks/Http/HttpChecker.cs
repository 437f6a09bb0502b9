using System.Net;
using System.Reflection;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>
/// HTTP: a 2xx after following redirects. Every check opens a fresh connection (<c>Connection: close</c>), so it
/// exercises DNS, TCP and TLS each time and holds no idle connection to the dependency between checks.
/// </summary>
internal sealed class HttpChecker : IDependencyChecker, IDisposable
{
    public static readonly string UserAgent = "dephealth/" + PackageVersion();

    private readonly HttpCheckerSettings _settings;
    private readonly HttpClient _client;

    public HttpChecker(HttpCheckerSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectTimeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.SkipTlsVerify)
        {
#pragma warning disable CA5359 // Skipping verification is the operator's explicit TlsSkipVerify choice.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        // The scheduler's timeout governs; HttpClient's own would only race it.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(_settings.Method, _settings.RequestUri(endpoint));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.ConnectionClose = true;
        foreach (var (name, value) in _settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_settings.Authorization is not null)
        {
            request.Headers.Authorization = _settings.Authorization;
        }

        if (_settings.HostHeader is not null)
        {
            // SocketsHttpHandler also takes the TLS server name (SNI) from the Host header.
            request.Headers.Host = _settings.HostHeader;
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var code = (int)response.StatusCode;
        if (code is >= 200 and < 300)
        {
            return;
        }

        throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new DependencyCheckException(CheckDetails.AuthError, $"The endpoint answered HTTP {code}.")
            : new DependencyCheckException(CheckDetails.Http(code), $"The endpoint answered HTTP {code}.");
    }

    public void Dispose() => _client.Dispose();

    private static string PackageVersion()
    {
        var version = typeof(HttpChecker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
