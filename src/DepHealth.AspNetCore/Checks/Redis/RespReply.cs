namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>The RESP2 reply types.</summary>
internal enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    NullBulkString,
    Array,
}

/// <summary>One RESP2 reply. <see cref="Text"/> is the payload; for an array, its element count (elements are not read).</summary>
internal readonly record struct RespReply(RespKind Kind, string Text)
{
    /// <summary>The error code of an error reply: its first word, for example <c>WRONGPASS</c>.</summary>
    public string ErrorCode
    {
        get
        {
            var space = Text.IndexOf(' ', StringComparison.Ordinal);
            var code = space >= 0 ? Text[..space] : Text;
            return code.Length is > 0 and <= 32 && code.All(char.IsAsciiLetterUpper) ? code : "ERR";
        }
    }
}
