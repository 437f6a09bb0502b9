namespace DepHealth.AspNetCore.State;

/// <summary>
/// Detail values interned as one-byte codes for <see cref="HistorySample"/>. The contract's details and the HTTP codes
/// seen take a code each; should more than 255 distinct details ever appear, further ones are kept as <c>error</c>.
/// </summary>
internal static class HistoryDetails
{
    private static readonly Lock Gate = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Codes = new(StringComparer.Ordinal);
    private static volatile string[] nameTable = [CheckDetails.Error];

    static HistoryDetails()
    {
        foreach (var detail in new[]
        {
            CheckDetails.Ok, CheckDetails.Timeout, CheckDetails.ConnectionRefused, CheckDetails.NetworkUnreachable,
            CheckDetails.HostUnreachable, CheckDetails.DnsError, CheckDetails.AuthError, CheckDetails.TlsError,
            CheckDetails.Unhealthy, CheckDetails.GrpcNotServing, CheckDetails.GrpcUnknown, CheckDetails.NoBrokers,
            CheckDetails.PoolExhausted, CheckDetails.QueryError,
        })
        {
            Code(detail);
        }
    }

    public static byte Code(string detail)
    {
        if (Codes.TryGetValue(detail, out var code))
        {
            return code;
        }

        lock (Gate)
        {
            if (Codes.TryGetValue(detail, out code))
            {
                return code;
            }

            var names = nameTable;
            if (names.Length > byte.MaxValue)
            {
                return 0;
            }

            code = (byte)names.Length;
            nameTable = [.. names, detail];

            // Readers look the name up in the array, so the array is published before the dictionary grows.
            Codes[detail] = code;
            return code;
        }
    }

    public static string Name(byte code)
    {
        var names = nameTable;
        return code < names.Length ? names[code] : CheckDetails.Error;
    }
}
