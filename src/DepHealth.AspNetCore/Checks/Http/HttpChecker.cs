using System.Net;
using System.Reflection;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>
/// HTTP: a 2xx after following redirects (<see cref="HttpRedirect"/>). Standalone, every check opens a fresh connection
/// (<c>Connection: close</c>), so it exercises DNS, TCP and TLS each time and holds no idle connection to the dependency
/// between checks. In pool mode the request goes through the application's named client from
/// <see cref="IHttpClientFactory"/>: its handlers apply and its pooled connections are reused. Configured headers,
/// credentials and the Host override go to the endpoint's own origin only.
/// </summary>
internal sealed class HttpChecker : IDependencyChecker, IDisposable
{
    public static readonly string UserAgent = "dephealth/" + PackageVersion();

    private readonly HttpCheckerSettings _settings;
    private readonly HostPolicy? _policy;
    private readonly HttpClient? _client;
    private readonly IHttpClientFactory? _factory;
    private readonly string? _clientName;

    /// <param name="settings">The endpoint's options.</param>
    /// <param name="policy">The host policy of a runtime endpoint; null for configured endpoints, which are unrestricted.</param>
    /// <param name="resolve">Resolves host names for connections under <paramref name="policy"/>; DNS by default.</param>
    public HttpChecker(HttpCheckerSettings settings, HostPolicy? policy = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _settings = settings;
        _policy = policy;
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by the check itself, hop by hop, under its own rules.
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectTimeout = Timeout.InfiniteTimeSpan,
        };
        if (policy is not null)
        {
            handler.ConnectCallback = new HostPolicyConnector(policy, resolve).ConnectAsync;
        }

        if (settings.SkipTlsVerify)
        {
#pragma warning disable CA5359 // Skipping verification is the operator's explicit TlsSkipVerify choice.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        // The scheduler's timeout governs; HttpClient's own would only race it.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Pool mode: each check sends through <c>factory.CreateClient(clientName)</c>; never under a host policy.</summary>
    /// <param name="settings">The endpoint's options.</param>
    /// <param name="factory">The application's client factory.</param>
    /// <param name="clientName">The named client's name.</param>
    public HttpChecker(HttpCheckerSettings settings, IHttpClientFactory factory, string clientName)
    {
        _settings = settings;
        _factory = factory;
        _clientName = clientName;
    }

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await RequestAsync(endpoint, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return CheckResult.FromException(e);
        }
    }

    private async ValueTask<CheckResult> RequestAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var origin = _settings.RequestUri(endpoint);
        var uri = origin;
        var method = _settings.Method;
        using var named = _client is null ? NamedClient() : null;
        var client = _client ?? named!;
        for (var redirects = 0; ; redirects++)
        {
            using var request = CreateRequest(method, uri, HttpRedirect.SameOrigin(uri, origin));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (HttpRedirect.Target(response, uri) is not { } next)
            {
                return ResultOf(response);
            }

            if (HttpRedirect.Refusal(uri, next, redirects, _policy) is { } refusal)
            {
                return refusal;
            }

            method = HttpRedirect.NextMethod(method, response.StatusCode);
            uri = next;
        }
    }

    public void Dispose() => _client?.Dispose();

    /// <summary>A client from the factory per check (cheap; the factory pools and rotates the handler), its own timeout off.</summary>
    private HttpClient NamedClient()
    {
        var client = _factory!.CreateClient(_clientName!);

        // The check's timeout governs; the named client's Timeout (100 s by default) would only race it.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri uri, bool toOrigin)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (_client is not null)
        {
            // Standalone checks hold no connection between checks; pool mode keeps the factory's connections.
            request.Headers.ConnectionClose = true;
        }

        if (!toOrigin)
        {
            return request;
        }

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

        return request;
    }

    private static CheckResult ResultOf(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        return code switch
        {
            >= 200 and < 300 => CheckResult.Healthy,
            401 or 403 => CheckResult.Unhealthy(CheckDetails.AuthError, $"The endpoint answered HTTP {code}."),
            _ => CheckResult.Unhealthy(CheckDetails.Http(code), $"The endpoint answered HTTP {code}."),
        };
    }

    private static string PackageVersion()
    {
        var version = typeof(HttpChecker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
