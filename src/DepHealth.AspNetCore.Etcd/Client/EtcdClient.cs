// Over 300 lines on purpose: the one etcd v3 client of the package (KV, transactions, watch, auth, TLS) over the JSON gateway; dotnet-etcd would bring gRPC and Google.Protobuf into every application that only wants its configuration.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DepHealth.AspNetCore.Etcd.Client;

/// <summary>
/// A small etcd v3 client over the JSON gateway (<c>/v3/kv/range</c>, <c>/v3/kv/put</c>, <c>/v3/kv/deleterange</c>,
/// <c>/v3/kv/txn</c>, <c>/v3/kv/compaction</c>, <c>/v3/watch</c>, <c>/v3/auth/authenticate</c>). Keys and values are
/// UTF-8 strings, sent base64 as the gateway wants. Unary calls fail over to the next endpoint when one cannot be
/// reached; with a user name, the auth token is fetched on first use and again when etcd calls it invalid.
/// </summary>
internal sealed class EtcdClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly EtcdClientSettings _settings;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _authGate = new(1, 1);
    private string? _token;
    private int _current;

    public EtcdClient(EtcdClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(settings));
        }

        _settings = settings;
        _http = new HttpClient(CreateHandler(settings), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Whether calls authenticate (a user name is configured).</summary>
    public bool Authenticates => _settings.Username is not null;

    /// <summary>The endpoint the next call goes to first.</summary>
    public Uri CurrentEndpoint => _settings.Endpoints[Volatile.Read(ref _current) % _settings.Endpoints.Count];

    /// <summary>The exclusive end of the range of every key starting with <paramref name="prefix"/>.</summary>
    public static byte[] PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return bytes[..(i + 1)];
            }
        }

        return [0];
    }

    public async Task<EtcdRangeResult> RangeAsync(string key, bool prefix = false, long revision = 0, CancellationToken cancellationToken = default)
    {
        var body = KeyRange(key, prefix);
        if (revision > 0)
        {
            body["revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var json = await CallAsync("/v3/kv/range", body, cancellationToken);
        var root = json.RootElement;
        var kvs = new List<EtcdKeyValue>();
        if (root.TryGetProperty("kvs", out var items))
        {
            foreach (var item in items.EnumerateArray())
            {
                kvs.Add(ParseKeyValue(item));
            }
        }

        return new EtcdRangeResult(HeaderRevision(root), kvs);
    }

    public async Task<long> PutAsync(string key, string value, long lease = 0, CancellationToken cancellationToken = default)
    {
        using var json = await CallAsync("/v3/kv/put", PutBody(key, value, lease), cancellationToken);
        return HeaderRevision(json.RootElement);
    }

    /// <summary>Deletes a key, or every key under a prefix; returns the revision and how many keys were deleted.</summary>
    public async Task<(long Revision, long Deleted)> DeleteAsync(string key, bool prefix = false, CancellationToken cancellationToken = default)
    {
        using var json = await CallAsync("/v3/kv/deleterange", KeyRange(key, prefix), cancellationToken);
        return (HeaderRevision(json.RootElement), Int64(json.RootElement, "deleted"));
    }

    /// <summary>Runs <paramref name="success"/> when every compare holds, else <paramref name="failure"/>, atomically.</summary>
    public async Task<EtcdTxnResult> TxnAsync(
        IReadOnlyList<EtcdCompare> compares,
        IReadOnlyList<EtcdOperation> success,
        IReadOnlyList<EtcdOperation>? failure = null,
        CancellationToken cancellationToken = default)
    {
        var compareArray = new JsonArray();
        foreach (var compare in compares)
        {
            var node = new JsonObject
            {
                ["key"] = Base64(compare.Key),
                ["target"] = compare.Target.ToString().ToUpperInvariant(),
                ["result"] = compare.Result switch
                {
                    EtcdCompareResult.Equal => "EQUAL",
                    EtcdCompareResult.Greater => "GREATER",
                    EtcdCompareResult.Less => "LESS",
                    _ => "NOT_EQUAL",
                },
            };
            var number = compare.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (compare.Target)
            {
                case EtcdCompareTarget.Version:
                    node["version"] = number;
                    break;
                case EtcdCompareTarget.Create:
                    node["create_revision"] = number;
                    break;
                case EtcdCompareTarget.Mod:
                    node["mod_revision"] = number;
                    break;
                default:
                    node["value"] = Base64(compare.Value ?? string.Empty);
                    break;
            }

            compareArray.Add(node);
        }

        var body = new JsonObject
        {
            ["compare"] = compareArray,
            ["success"] = Operations(success),
            ["failure"] = Operations(failure ?? []),
        };
        using var json = await CallAsync("/v3/kv/txn", body, cancellationToken);
        var root = json.RootElement;
        return new EtcdTxnResult(root.TryGetProperty("succeeded", out var ok) && ok.ValueKind == JsonValueKind.True, HeaderRevision(root));
    }

    /// <summary>Compacts the history up to <paramref name="revision"/>; watches from before it then report compaction.</summary>
    public async Task CompactAsync(long revision, bool physical = true, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["physical"] = physical,
        };
        using var _ = await CallAsync("/v3/kv/compaction", body, cancellationToken);
    }

    /// <summary>
    /// Watches a key or prefix from <paramref name="startRevision"/> (0: from now). Yields every message, the first one
    /// with <see cref="EtcdWatchResponse.Created"/>; ends when the stream ends (etcd stopped, network error), throws
    /// <see cref="EtcdException"/> when etcd reports an error. A compacted start revision yields one canceled message
    /// with <see cref="EtcdWatchResponse.CompactRevision"/> set.
    /// </summary>
    public async IAsyncEnumerable<EtcdWatchResponse> WatchAsync(
        string key, bool prefix, long startRevision, bool progressNotify = true, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var create = KeyRange(key, prefix);
        if (startRevision > 0)
        {
            create["start_revision"] = startRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (progressNotify)
        {
            create["progress_notify"] = true;
        }

        var body = new JsonObject { ["create_request"] = create }.ToJsonString();
        using var response = await OpenStreamAsync("/v3/watch", body, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseWatchMessage(line);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _authGate.Dispose();
    }

    private EtcdWatchResponse ParseWatchMessage(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            var exception = Error(error, 0);
            if (exception.IsAuthentication)
            {
                Interlocked.Exchange(ref _token, null);
            }

            throw exception;
        }

        var result = root.TryGetProperty("result", out var r) ? r : root;
        var events = new List<EtcdWatchEvent>();
        if (result.TryGetProperty("events", out var items))
        {
            foreach (var item in items.EnumerateArray())
            {
                var isDelete = item.TryGetProperty("type", out var type) && type.GetString() == "DELETE";
                var kv = ParseKeyValue(item.GetProperty("kv"));
                events.Add(new EtcdWatchEvent(isDelete, kv.Key, kv.Value, kv.ModRevision));
            }
        }

        return new EtcdWatchResponse(
            HeaderRevision(result),
            Bool(result, "created"),
            Bool(result, "canceled"),
            Int64(result, "compact_revision"),
            result.TryGetProperty("cancel_reason", out var reason) ? reason.GetString() : null,
            events);
    }

    private async Task<JsonDocument> CallAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var content = body.ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(cancellationToken);
            try
            {
                return await SendAsync(path, content, token, cancellationToken);
            }
            catch (EtcdException exception) when (exception.IsAuthentication && _settings.Username is not null && attempt == 0)
            {
                // The token expired or etcd restarted: authenticate again, once.
                Interlocked.CompareExchange(ref _token, null, token);
            }
        }
    }

    /// <summary>Posts to each endpoint in turn, starting at the current one, until one answers.</summary>
    private async Task<JsonDocument> SendAsync(string path, string content, string? token, CancellationToken cancellationToken)
    {
        var endpoints = _settings.Endpoints;
        var first = Volatile.Read(ref _current);
        Exception? last = null;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var index = (first + i) % endpoints.Count;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.RequestTimeout);
            try
            {
                using var request = Request(endpoints[index], path, content, token);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    throw ErrorFromBody(text, (int)response.StatusCode);
                }

                Volatile.Write(ref _current, index);
                return JsonDocument.Parse(text);
            }
            catch (HttpRequestException exception)
            {
                last = exception;
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                last = new TimeoutException($"etcd at {endpoints[index]} did not answer {path} within {_settings.RequestTimeout.TotalSeconds:0.#} s", exception);
            }
        }

        Volatile.Write(ref _current, (first + 1) % endpoints.Count);
        throw new EtcdException($"no etcd endpoint answered {path}: {last?.Message}", last!);
    }

    private async Task<HttpResponseMessage> OpenStreamAsync(string path, string content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(cancellationToken);
            var endpoint = CurrentEndpoint;
            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_settings.RequestTimeout);
                try
                {
                    using var request = Request(endpoint, path, content, token);
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                }
                catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The next attempt (the caller's retry) goes to the next endpoint. The gateway answers a watch with an
                    // invalid token by never answering at all, so a token is also dropped when a watch does not open.
                    Interlocked.Increment(ref _current);
                    Interlocked.CompareExchange(ref _token, null, token);
                    throw new EtcdException($"etcd at {endpoint} could not be reached: {exception.Message}", exception);
                }
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var error = ErrorFromBody(await response.Content.ReadAsStringAsync(cancellationToken), (int)response.StatusCode);
                if (error.IsAuthentication && _settings.Username is not null && attempt == 0)
                {
                    Interlocked.CompareExchange(ref _token, null, token);
                    continue;
                }

                throw error;
            }
        }
    }

    private async Task<string?> TokenAsync(CancellationToken cancellationToken)
    {
        if (_settings.Username is null)
        {
            return null;
        }

        if (Volatile.Read(ref _token) is { } token)
        {
            return token;
        }

        await _authGate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _token) is { } fresh)
            {
                return fresh;
            }

            var body = new JsonObject { ["name"] = _settings.Username, ["password"] = _settings.Password ?? string.Empty };
            using var json = await SendAsync("/v3/auth/authenticate", body.ToJsonString(), null, cancellationToken);
            var value = json.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null;
            if (string.IsNullOrEmpty(value))
            {
                throw new EtcdException(EtcdException.Unauthenticated, "etcd returned no auth token");
            }

            Volatile.Write(ref _token, value);
            return value;
        }
        finally
        {
            _authGate.Release();
        }
    }

    private static HttpRequestMessage Request(Uri endpoint, string path, string content, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new StringContent(content, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = Json;
        if (token is not null)
        {
            // etcd's gateway takes the bare token, without a scheme.
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        return request;
    }

    private static EtcdException ErrorFromBody(string text, int status)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return Error(root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error : root, status);
        }
        catch (JsonException)
        {
            return new EtcdException(0, $"etcd answered HTTP {status}", status);
        }
    }

    private static EtcdException Error(JsonElement error, int status)
    {
        var code = (int)(error.TryGetProperty("code", out _) ? Int64(error, "code") : Int64(error, "grpc_code"));
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
            : error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        if (status == 0)
        {
            status = (int)Int64(error, "http_code");
        }

        return new EtcdException(code, $"etcd error {code}: {message ?? "unknown"}", status);
    }

    private static JsonObject KeyRange(string key, bool prefix)
    {
        var node = new JsonObject { ["key"] = Base64(key) };
        if (prefix)
        {
            node["range_end"] = Convert.ToBase64String(PrefixEnd(key));
        }

        return node;
    }

    private static JsonObject PutBody(string key, string value, long lease)
    {
        var node = new JsonObject { ["key"] = Base64(key), ["value"] = Base64(value) };
        if (lease != 0)
        {
            node["lease"] = lease.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return node;
    }

    private static JsonArray Operations(IReadOnlyList<EtcdOperation> operations)
    {
        var array = new JsonArray();
        foreach (var operation in operations)
        {
            array.Add(operation.IsDelete
                ? new JsonObject { ["request_delete_range"] = KeyRange(operation.Key, operation.Prefix) }
                : new JsonObject { ["request_put"] = PutBody(operation.Key, operation.Value ?? string.Empty, operation.Lease) });
        }

        return array;
    }

    private static EtcdKeyValue ParseKeyValue(JsonElement kv) => new(
        FromBase64(kv, "key"),
        FromBase64(kv, "value"),
        Int64(kv, "mod_revision"),
        Int64(kv, "create_revision"),
        Int64(kv, "version"));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FromBase64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
            ? Encoding.UTF8.GetString(Convert.FromBase64String(text))
            : string.Empty;

    private static long HeaderRevision(JsonElement element) =>
        element.TryGetProperty("header", out var header) ? Int64(header, "revision") : 0;

    /// <summary>proto3 JSON: int64 as a string, zero values left out.</summary>
    private static long Int64(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return 0;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            _ => 0,
        };
    }

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static SocketsHttpHandler CreateHandler(EtcdClientSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.DialTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectCallback = ConnectWithKeepAliveAsync,
        };

        if (settings.ClientCertificateFile is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(settings.ClientCertificateFile, settings.ClientKeyFile);
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (settings.CaFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(settings.CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateWithAuthorities(certificate, errors, authorities);
        }

        return handler;
    }

    /// <summary>Trusts exactly the configured authorities; the host name must still match the certificate.</summary>
    private static bool ValidateWithAuthorities(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    /// <summary>TCP keep-alive, so a watch over a connection that silently died is noticed within a minute.</summary>
    private static async ValueTask<Stream> ConnectWithKeepAliveAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
