using System.Buffers.Binary;
using System.Text;

namespace DepHealth.AspNetCore.Checks.Grpc;

/// <summary>
/// The <c>grpc.health.v1</c> messages, hand-encoded: each has a single field, so a protobuf library would add a
/// dependency for a few bytes. Messages travel in gRPC length-prefixed frames (flag byte, big-endian length).
/// </summary>
internal static class GrpcHealthMessages
{
    /// <summary>Frames larger than this are refused; a health response is 2 bytes.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    public const int Unknown = 0;
    public const int Serving = 1;
    public const int NotServing = 2;
    public const int ServiceUnknown = 3;

    /// <summary>A frame holding <c>HealthCheckRequest { string service = 1; }</c>.</summary>
    public static byte[] EncodeRequestFrame(string service)
    {
        var name = Encoding.UTF8.GetBytes(service);

        // proto3 leaves a default (empty) string out of the message entirely.
        var fieldLength = name.Length == 0 ? 0 : 1 + VarintLength((uint)name.Length) + name.Length;
        var frame = new byte[5 + fieldLength];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), fieldLength);
        if (fieldLength > 0)
        {
            var position = 5;
            frame[position++] = (1 << 3) | 2; // field 1, length-delimited
            for (var value = (uint)name.Length; ; value >>= 7)
            {
                if (value < 0x80)
                {
                    frame[position++] = (byte)value;
                    break;
                }

                frame[position++] = (byte)(value | 0x80);
            }

            name.CopyTo(frame, position);
        }

        return frame;
    }

    /// <summary>Reads the first frame of a response body and returns <c>HealthCheckResponse.status</c>.</summary>
    /// <exception cref="DependencyCheckException">The body is not one valid, uncompressed health response (detail <c>error</c>).</exception>
    public static int DecodeResponseStatus(ReadOnlySpan<byte> body)
    {
        if (body.Length < 5)
        {
            throw Malformed("no complete response message");
        }

        if (body[0] != 0)
        {
            // No grpc-accept-encoding is sent, so a compressed message breaks the protocol.
            throw Malformed("a compressed message although none was accepted");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
        if (length > MaxMessageBytes || length > body.Length - 5)
        {
            throw Malformed("a truncated response message");
        }

        var message = body.Slice(5, (int)length);
        var status = Unknown;
        while (!message.IsEmpty)
        {
            var tag = ReadVarint(ref message);
            var field = tag >> 3;
            switch ((int)(tag & 7))
            {
                case 0:
                    var value = ReadVarint(ref message);
                    if (field == 1)
                    {
                        // An enum is an int32 on the wire; the last occurrence wins, as in every protobuf parser.
                        status = unchecked((int)value);
                    }

                    break;
                case 1:
                    Skip(ref message, 8);
                    break;
                case 2:
                    Skip(ref message, ReadVarint(ref message));
                    break;
                case 5:
                    Skip(ref message, 4);
                    break;
                default:
                    throw Malformed("an invalid protobuf message");
            }
        }

        return status;
    }

    private static ulong ReadVarint(ref ReadOnlySpan<byte> data)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (data.IsEmpty)
            {
                break;
            }

            var b = data[0];
            data = data[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed("an invalid protobuf message");
    }

    private static void Skip(ref ReadOnlySpan<byte> data, ulong count)
    {
        if (count > (ulong)data.Length)
        {
            throw Malformed("an invalid protobuf message");
        }

        data = data[(int)count..];
    }

    private static int VarintLength(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static DependencyCheckException Malformed(string what) =>
        new(CheckDetails.Error, $"The gRPC health service sent {what}.");
}
