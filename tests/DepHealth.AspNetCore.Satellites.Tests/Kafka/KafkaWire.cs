using System.Buffers.Binary;
using System.Text;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>Reads Kafka protocol primitives (big-endian integers, strings, bytes, compact forms, tagged fields).</summary>
internal sealed class KafkaReader(byte[] data)
{
    private int _position;

    public short Int16()
    {
        var value = BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(_position));
        _position += 2;
        return value;
    }

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(_position));
        _position += 4;
        return value;
    }

    public string? String()
    {
        var length = Int16();
        return length < 0 ? null : Text(length);
    }

    public byte[] Bytes()
    {
        var length = Int32();
        var bytes = data.AsSpan(_position, length).ToArray();
        _position += length;
        return bytes;
    }

    public uint UVarint()
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[_position++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    public void SkipTaggedFields()
    {
        var count = UVarint();
        for (var i = 0; i < count; i++)
        {
            UVarint(); // tag
            _position += (int)UVarint();
        }
    }

    private string Text(int length)
    {
        var text = Encoding.UTF8.GetString(data, _position, length);
        _position += length;
        return text;
    }
}

/// <summary>Writes Kafka protocol primitives into a growing buffer.</summary>
internal sealed class KafkaWriter
{
    private readonly MemoryStream _buffer = new();

    public KafkaWriter Int8(sbyte value)
    {
        _buffer.WriteByte((byte)value);
        return this;
    }

    public KafkaWriter Int16(short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWriter Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWriter Int64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWriter String(string? value)
    {
        if (value is null)
        {
            return Int16(-1);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Int16((short)bytes.Length);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWriter CompactString(string? value)
    {
        if (value is null)
        {
            return UVarint(0);
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        UVarint((uint)bytes.Length + 1);
        _buffer.Write(bytes);
        return this;
    }

    public KafkaWriter Bytes(byte[] value)
    {
        Int32(value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>The length of a compact array: its count plus one.</summary>
    public KafkaWriter CompactArray(int count) => UVarint((uint)count + 1);

    /// <summary>An empty set of tagged fields.</summary>
    public KafkaWriter NoTags() => UVarint(0);

    public KafkaWriter UVarint(uint value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();
}
