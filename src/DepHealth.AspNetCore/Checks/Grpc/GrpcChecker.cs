using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks.Http;

namespace DepHealth.AspNetCore.Checks.Grpc;

/// <summary>
/// gRPC: <c>grpc.health.v1.Health/Check</c> answers SERVING. The call is made over HTTP/2 with
/// <see cref="SocketsHttpHandler"/> (TLS with ALPN, or h2c with prior knowledge), so no gRPC client package is needed.
/// </summary>
/// <remarks>
/// Status mapping: SERVING is ok; NOT_SERVING is <c>grpc_not_serving</c>; UNKNOWN and SERVICE_UNKNOWN are
/// <c>grpc_unknown</c>, and so is grpc-status NOT_FOUND, the health service's answer for a service it does not know.
/// UNAUTHENTICATED and PERMISSION_DENIED are <c>auth_error</c>. UNIMPLEMENTED is <c>error</c>: the server has no health
/// service at all, which says nothing about its health and needs a configuration change, not a recovery.
/// Every other non-zero grpc-status is <c>error</c>.
/// </remarks>
/// <param name="settings">The endpoint's options.</param>
/// <param name="policy">The host policy of a runtime endpoint, for the addresses it connects to; null when unrestricted.</param>
internal sealed class GrpcChecker(GrpcCheckerSettings settings, HostPolicy? policy = null) : IDependencyChecker
{
    private const int StatusOk = 0;
    private const int StatusNotFound = 5;
    private const int StatusPermissionDenied = 7;
    private const int StatusUnimplemented = 12;
    private const int StatusUnauthenticated = 16;

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(endpoint, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return CheckResult.FromException(e);
        }
    }

    private async ValueTask<CheckResult> CallAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        // A handler per check: its one connection opens and closes within the check, so each check exercises DNS,
        // TCP, TLS and the HTTP/2 handshake, and no idle connection to the dependency is held between checks.
        using var invoker = new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
        using var request = CreateRequest(endpoint);
        using var response = await invoker.SendAsync(request, cancellationToken);

        var code = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // An HTTP status instead of a gRPC one comes from a proxy or a server that does not speak gRPC.
            return CheckResult.Unhealthy(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? CheckDetails.AuthError : CheckDetails.Error,
                $"The gRPC endpoint answered HTTP {code}.");
        }

        // Trailers arrive only once the body has been read to its end.
        var body = await ReadBodyAsync(response.Content, cancellationToken);
        return GrpcStatus(response) switch
        {
            null => CheckResult.Unhealthy(CheckDetails.Error,
                response.Content.Headers.ContentType?.MediaType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
                    ? "The gRPC endpoint sent no valid grpc-status."
                    : "The endpoint answered without grpc-status or the application/grpc content type; it is not a gRPC server."),
            { } status when status is StatusUnauthenticated or StatusPermissionDenied =>
                CheckResult.Unhealthy(CheckDetails.AuthError, $"The gRPC health check failed with status {StatusName(status)}."),
            StatusNotFound => CheckResult.Unhealthy(CheckDetails.GrpcUnknown, "The gRPC health service does not know the service (NOT_FOUND)."),
            StatusUnimplemented => CheckResult.Unhealthy(CheckDetails.Error, "The gRPC server does not implement grpc.health.v1.Health (UNIMPLEMENTED)."),
            { } status when status != StatusOk => CheckResult.Unhealthy(CheckDetails.Error, $"The gRPC health check failed with status {StatusName(status)}."),
            _ => GrpcHealthMessages.DecodeResponseStatus(body) switch
            {
                GrpcHealthMessages.Serving => CheckResult.Healthy,
                GrpcHealthMessages.NotServing => CheckResult.Unhealthy(CheckDetails.GrpcNotServing, "The gRPC health service answered NOT_SERVING."),
                GrpcHealthMessages.ServiceUnknown => CheckResult.Unhealthy(CheckDetails.GrpcUnknown, "The gRPC health service answered SERVICE_UNKNOWN."),
                _ => CheckResult.Unhealthy(CheckDetails.GrpcUnknown, "The gRPC health service answered UNKNOWN."),
            },
        };
    }

    private SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = Timeout.InfiniteTimeSpan,
        };
        if (policy is not null)
        {
            handler.ConnectCallback = new HostPolicyConnector(policy).ConnectAsync;
        }

        if (settings.SkipTlsVerify)
        {
#pragma warning disable CA5359 // Skipping verification is the operator's explicit TlsSkipVerify choice.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    private HttpRequestMessage CreateRequest(EndpointSpec endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, settings.RequestUri(endpoint))
        {
            // Exactly HTTP/2: over http:// this is h2c with prior knowledge, over https:// ALPN must agree on h2.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(settings.RequestFrame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.UserAgent.ParseAdd(HttpChecker.UserAgent);
        foreach (var (name, value) in settings.Metadata)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (settings.Authorization is not null)
        {
            request.Headers.Authorization = settings.Authorization;
        }

        if (settings.Authority is not null)
        {
            // SocketsHttpHandler sends the Host header as :authority and takes the TLS server name (SNI) from it.
            request.Headers.Host = settings.Authority;
        }

        return request;
    }

    /// <summary>Reads the whole body, refusing more than one maximal frame.</summary>
    private static async ValueTask<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        const int limit = 5 + GrpcHealthMessages.MaxMessageBytes;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length == limit + 1)
                {
                    throw new DependencyCheckException(CheckDetails.Error, "The gRPC health response is larger than 64 KiB.");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 4, limit + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    private static int? GrpcStatus(HttpResponseMessage response)
    {
        if (!response.TrailingHeaders.TryGetValues("grpc-status", out var values)
            && !response.Headers.TryGetValues("grpc-status", out values))
        {
            return null;
        }

        var text = values.FirstOrDefault();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null;
    }

    private static string StatusName(int status) => status switch
    {
        1 => "CANCELLED",
        2 => "UNKNOWN",
        3 => "INVALID_ARGUMENT",
        4 => "DEADLINE_EXCEEDED",
        5 => "NOT_FOUND",
        6 => "ALREADY_EXISTS",
        7 => "PERMISSION_DENIED",
        8 => "RESOURCE_EXHAUSTED",
        9 => "FAILED_PRECONDITION",
        10 => "ABORTED",
        11 => "OUT_OF_RANGE",
        12 => "UNIMPLEMENTED",
        13 => "INTERNAL",
        14 => "UNAVAILABLE",
        15 => "DATA_LOSS",
        16 => "UNAUTHENTICATED",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
