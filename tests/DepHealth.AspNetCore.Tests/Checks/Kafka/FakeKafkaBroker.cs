using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace DepHealth.AspNetCore.Tests.Checks.Kafka;

/// <summary>A Metadata request as the fake broker parsed it, field by field.</summary>
public sealed record MetadataRequest(short ApiKey, short ApiVersion, int CorrelationId, string? ClientId, int TopicCount, bool AllowAutoTopicCreation);

/// <summary>
/// A fake Kafka broker on 127.0.0.1: parses each request frame byte for byte (header v1, Metadata v4 body) and answers
/// with <c>respond</c>, which gets the parsed request and returns the whole response frame, size prefix included.
/// </summary>
public sealed class FakeKafkaBroker : IAsyncDisposable
{
    private readonly LoopbackTcpServer _server;

    public FakeKafkaBroker(Func<MetadataRequest, byte[]> respond) =>
        _server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            var request = await ReadRequestAsync(stream, ct);
            Requests.Enqueue(request);
            try
            {
                await stream.WriteAsync(respond(request), ct);
            }
            catch (IOException)
            {
                // The check may hang up as soon as it has seen enough of a bad response.
            }
        });

    public int Port => _server.Port;

    public ConcurrentQueue<MetadataRequest> Requests { get; } = new();

    /// <summary>A well-formed Metadata v4 response listing <paramref name="brokers"/> brokers, answering <paramref name="correlationId"/>.</summary>
    public static byte[] MetadataResponse(int correlationId, int brokers)
    {
        var body = new List<byte>();
        void Int32(int value) => body.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        void String(string? value)
        {
            if (value is null)
            {
                body.AddRange([0xFF, 0xFF]);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            body.AddRange([(byte)(bytes.Length >> 8), (byte)bytes.Length]);
            body.AddRange(bytes);
        }

        Int32(correlationId);
        Int32(0); // throttle_time_ms
        Int32(brokers);
        for (var i = 0; i < brokers; i++)
        {
            Int32(i); // node_id
            String($"broker-{i}.example"); // host
            Int32(9092); // port
            String(i % 2 == 0 ? null : "rack-a"); // rack
        }

        String("test-cluster"); // cluster_id
        Int32(0); // controller_id
        Int32(0); // topics
        return Frame([.. body]);
    }

    public static byte[] Frame(byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task<MetadataRequest> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var sizeBytes = new byte[4];
        await stream.ReadExactlyAsync(sizeBytes, ct);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        Assert.InRange(size, 14, 1024);
        var request = new byte[size];
        await stream.ReadExactlyAsync(request, ct);

        var apiKey = BinaryPrimitives.ReadInt16BigEndian(request);
        var apiVersion = BinaryPrimitives.ReadInt16BigEndian(request.AsSpan(2));
        var correlationId = BinaryPrimitives.ReadInt32BigEndian(request.AsSpan(4));
        var clientIdLength = BinaryPrimitives.ReadInt16BigEndian(request.AsSpan(8));
        var clientId = clientIdLength < 0 ? null : Encoding.UTF8.GetString(request, 10, clientIdLength);
        var body = request.AsSpan(10 + Math.Max((short)0, clientIdLength));
        Assert.Equal(5, body.Length); // topics array (int32) + allow_auto_topic_creation (int8), nothing else
        return new MetadataRequest(apiKey, apiVersion, correlationId, clientId, BinaryPrimitives.ReadInt32BigEndian(body), body[4] != 0);
    }
}
