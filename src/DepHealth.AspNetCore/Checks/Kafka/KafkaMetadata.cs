using System.Buffers.Binary;
using System.Text;

namespace DepHealth.AspNetCore.Checks.Kafka;

/// <summary>
/// The Kafka Metadata request and response (api key 3), version 4, encoded by hand from the protocol spec. Version 4
/// is served by every broker from Kafka 1.0 on, including 4.x, which dropped versions 0 to 3 (KIP-896); it is the
/// last version before the flexible (tagged-field) encoding.
/// </summary>
internal static class KafkaMetadata
{
    public const short ApiKey = 3;
    public const short ApiVersion = 4;
    public const string ClientId = "dephealth";

    /// <summary>The request frame: size, header v1, and a body asking for no topics.</summary>
    public static byte[] EncodeRequest(int correlationId)
    {
        var clientId = Encoding.UTF8.GetBytes(ClientId);
        var size = 2 + 2 + 4 + 2 + clientId.Length + 4 + 1;
        var frame = new byte[4 + size];
        var span = frame.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, size);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], ApiKey);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], ApiVersion);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], correlationId);
        BinaryPrimitives.WriteInt16BigEndian(span[12..], (short)clientId.Length);
        clientId.CopyTo(span[14..]);
        var body = span[(14 + clientId.Length)..];

        // An empty topics array asks for no topics (a null array would ask for all of them).
        BinaryPrimitives.WriteInt32BigEndian(body, 0);

        // allow_auto_topic_creation = false: a health check must never create topics.
        body[4] = 0;
        return frame;
    }

    /// <summary>Reads a response frame (without its size prefix) and returns how many brokers it lists.</summary>
    /// <exception cref="DependencyCheckException">The response is malformed or answers another request (detail <c>error</c>).</exception>
    public static int ReadBrokerCount(ReadOnlySpan<byte> frame, int expectedCorrelationId)
    {
        var reader = new KafkaReader(frame);
        var correlationId = reader.Int32();
        if (correlationId != expectedCorrelationId)
        {
            throw new DependencyCheckException(CheckDetails.Error, "The Kafka broker answered with another request's correlation id.");
        }

        reader.Int32(); // throttle_time_ms
        var brokers = reader.Int32();
        if (brokers < 0)
        {
            throw Malformed();
        }

        for (var i = 0; i < brokers; i++)
        {
            reader.Int32(); // node_id
            reader.String(nullable: false); // host
            reader.Int32(); // port
            reader.String(nullable: true); // rack
        }

        reader.String(nullable: true); // cluster_id
        reader.Int32(); // controller_id
        if (reader.Int32() < 0)
        {
            // The topics array; none were asked for, so its entries are not read.
            throw Malformed();
        }

        return brokers;
    }

    private static DependencyCheckException Malformed() =>
        new(CheckDetails.Error, "The Kafka broker sent a malformed metadata response.");

    /// <summary>Big-endian reads that fail as a malformed response instead of running past the frame.</summary>
    private ref struct KafkaReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public int Int32()
        {
            if (_rest.Length < 4)
            {
                throw Malformed();
            }

            var value = BinaryPrimitives.ReadInt32BigEndian(_rest);
            _rest = _rest[4..];
            return value;
        }

        public void String(bool nullable)
        {
            if (_rest.Length < 2)
            {
                throw Malformed();
            }

            var length = BinaryPrimitives.ReadInt16BigEndian(_rest);
            _rest = _rest[2..];
            if (length == -1 && nullable)
            {
                return;
            }

            if (length < 0 || _rest.Length < length)
            {
                throw Malformed();
            }

            _rest = _rest[length..];
        }
    }
}
