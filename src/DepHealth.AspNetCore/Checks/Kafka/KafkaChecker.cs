using System.Buffers.Binary;

namespace DepHealth.AspNetCore.Checks.Kafka;

/// <summary>
/// Kafka: the broker answers a metadata request listing at least one broker. Every check opens its own plaintext
/// connection to its endpoint, sends one Metadata request and closes the connection.
/// </summary>
internal sealed class KafkaChecker : IDependencyChecker
{
    /// <summary>Responses larger than this are refused rather than buffered; a no-topics answer is a few KiB at most.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private int _correlationId;

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var correlationId = Interlocked.Increment(ref _correlationId);
        Stream stream;
        try
        {
            stream = await TcpStreams.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return CheckResult.FromException(e);
        }

        await using (stream)
        {
            return await RequestMetadataAsync(stream, correlationId, cancellationToken);
        }
    }

    private static async ValueTask<CheckResult> RequestMetadataAsync(Stream stream, int correlationId, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(KafkaMetadata.EncodeRequest(correlationId), cancellationToken);
        await stream.FlushAsync(cancellationToken);

        var sizeBytes = new byte[4];
        await ReadExactlyAsync(stream, sizeBytes, cancellationToken);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size < 4 || size > MaxResponseBytes)
        {
            return CheckResult.Unhealthy(CheckDetails.Error, "The Kafka broker sent a response frame of an invalid size.");
        }

        var frame = new byte[size];
        await ReadExactlyAsync(stream, frame, cancellationToken);
        return KafkaMetadata.ReadBrokerCount(frame, correlationId) == 0
            ? CheckResult.Unhealthy(CheckDetails.NoBrokers, "The Kafka metadata lists no brokers.")
            : CheckResult.Healthy;
    }

    private static async ValueTask ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new DependencyCheckException(CheckDetails.Error, "The Kafka broker closed the connection before its response was complete.", e);
        }
    }
}
