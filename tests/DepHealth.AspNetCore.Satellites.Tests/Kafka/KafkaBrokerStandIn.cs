using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>How the stand-in broker listens: TLS with a certificate, SASL with one user, and whether it lists itself.</summary>
internal sealed record KafkaStandInOptions
{
    public X509Certificate2? Certificate { get; init; }

    /// <summary><c>PLAIN</c>, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>; null for no SASL.</summary>
    public string? SaslMechanism { get; init; }

    public string Username { get; init; } = "checker";

    public string Password { get; init; } = "stand-in-secret-4f1e";

    /// <summary>False: Metadata answers with no brokers at all.</summary>
    public bool ListBrokers { get; init; } = true;
}

/// <summary>
/// A Kafka broker stand-in on 127.0.0.1 that speaks the real wire protocol to librdkafka: ApiVersions, Metadata,
/// SaslHandshake and SaslAuthenticate (PLAIN, SCRAM), optionally inside TLS. It serves no topics
/// and nothing else; any other request fails the test when the stand-in is disposed.
/// </summary>
internal sealed class KafkaBrokerStandIn : IAsyncDisposable
{
    /// <summary>A broker's default <c>socket.request.max.bytes</c>.</summary>
    private const int MaxRequestBytes = 100 * 1024 * 1024;

    private readonly KafkaStandInOptions _options;
    private readonly LoopbackTcpServer _server;
    private int _disposed;

    private KafkaBrokerStandIn(KafkaStandInOptions options)
    {
        _options = options;
        _server = LoopbackTcpServer.Start(ServeAsync);
    }

    public int Port => _server.Port;

    /// <summary>The bootstrap address, <c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The API keys of the requests answered, in order.</summary>
    public ConcurrentQueue<short> Requests { get; } = new();

    public static KafkaBrokerStandIn Start(KafkaStandInOptions? options = null) => new(options ?? new KafkaStandInOptions());

    /// <summary>Stops listening and closes every connection: the broker goes away.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task ServeAsync(Stream network, CancellationToken cancellationToken)
    {
        var stream = network;
        if (_options.Certificate is { } certificate)
        {
            var tls = new SslStream(network);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                // The client refused the certificate or spoke plaintext.
                await tls.DisposeAsync();
                return;
            }

            stream = tls;
        }

        await using (stream)
        {
            var sasl = _options.SaslMechanism is { } mechanism ? new KafkaStandInSasl(mechanism, _options.Username, _options.Password) : null;
            while (await ReadFrameAsync(stream, cancellationToken) is { } frame)
            {
                var response = Answer(frame, sasl);
                if (response is null)
                {
                    return;
                }

                await stream.WriteAsync(response, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
        }
    }

    /// <summary>The response frame, or null to close the connection (a request before authentication, as a broker does).</summary>
    private byte[]? Answer(byte[] frame, KafkaStandInSasl? sasl)
    {
        var request = new KafkaReader(frame);
        var key = request.Int16();
        var version = request.Int16();
        var correlationId = request.Int32();
        request.String(); // client_id
        if (KafkaApi.IsFlexibleRequest(key, version))
        {
            request.SkipTaggedFields();
        }

        if (sasl is { Authenticated: false } && key is not (KafkaApi.ApiVersions or KafkaApi.SaslHandshake or KafkaApi.SaslAuthenticate))
        {
            return null;
        }

        var body = key switch
        {
            KafkaApi.ApiVersions => KafkaStandInResponses.ApiVersions(version),
            KafkaApi.Metadata => KafkaStandInResponses.Metadata(version, Port, _options.ListBrokers),
            KafkaApi.SaslHandshake when sasl is not null => sasl.Handshake(request),
            KafkaApi.SaslAuthenticate when sasl is not null => sasl.Authenticate(request, version),
            _ => throw new InvalidOperationException($"The Kafka stand-in does not serve api key {key} version {version}."),
        };
        Requests.Enqueue(key);
        var header = new KafkaWriter().Int32(correlationId);
        if (KafkaApi.IsFlexibleResponse(key, version))
        {
            header.NoTags();
        }

        return new KafkaWriter().Bytes([.. header.ToArray(), .. body]).ToArray();
    }

    private static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var size = new byte[4];
        try
        {
            await stream.ReadExactlyAsync(size, cancellationToken);
            var length = BinaryPrimitives.ReadInt32BigEndian(size);
            if (length is < 0 or > MaxRequestBytes)
            {
                // A broker closes the connection (a TLS ClientHello read as a size is 0x16030...).
                return null;
            }

            var frame = new byte[length];
            await stream.ReadExactlyAsync(frame, cancellationToken);
            return frame;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            // The client hung up.
            return null;
        }
    }
}
