using System.Buffers;
using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>Encodes commands the way every Redis client does: a RESP array of bulk strings, so arguments may hold any bytes.</summary>
internal static class RespCommands
{
    public static byte[] Encode(IEnumerable<IReadOnlyList<string>> commands)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        foreach (var command in commands)
        {
            WriteAscii(buffer, string.Create(CultureInfo.InvariantCulture, $"*{command.Count}\r\n"));
            foreach (var argument in command)
            {
                var bytes = Encoding.UTF8.GetBytes(argument);
                WriteAscii(buffer, string.Create(CultureInfo.InvariantCulture, $"${bytes.Length}\r\n"));
                buffer.Write(bytes);
                buffer.Write("\r\n"u8);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAscii(ArrayBufferWriter<byte> buffer, string text) =>
        buffer.Advance(Encoding.ASCII.GetBytes(text, buffer.GetSpan(text.Length)));
}
