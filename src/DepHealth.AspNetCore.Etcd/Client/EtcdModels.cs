namespace DepHealth.AspNetCore.Etcd.Client;

/// <summary>A key and its value at a revision.</summary>
internal sealed record EtcdKeyValue(string Key, string Value, long ModRevision, long CreateRevision, long Version);

/// <summary>The keys a range found and the store revision it read at.</summary>
internal sealed record EtcdRangeResult(long Revision, IReadOnlyList<EtcdKeyValue> Kvs);

/// <summary>One change: a put (with the new value) or a delete.</summary>
internal sealed record EtcdWatchEvent(bool IsDelete, string Key, string Value, long ModRevision);

/// <summary>
/// One message of a watch stream. <see cref="CompactRevision"/> is set (and the watch canceled) when the requested
/// start revision was compacted: read everything again and watch from the new revision.
/// </summary>
internal sealed record EtcdWatchResponse(
    long Revision,
    bool Created,
    bool Canceled,
    long CompactRevision,
    string? CancelReason,
    IReadOnlyList<EtcdWatchEvent> Events);

/// <summary>What a transaction compares.</summary>
internal enum EtcdCompareTarget
{
    Version,
    Create,
    Mod,
    Value,
}

/// <summary>How a transaction compares.</summary>
internal enum EtcdCompareResult
{
    Equal,
    Greater,
    Less,
    NotEqual,
}

/// <summary>A transaction guard, for example "the key's mod revision equals 42" or "the key does not exist" (version 0).</summary>
internal sealed record EtcdCompare(string Key, EtcdCompareTarget Target, EtcdCompareResult Result, long Number = 0, string? Value = null)
{
    public static EtcdCompare Missing(string key) => new(key, EtcdCompareTarget.Version, EtcdCompareResult.Equal, 0);

    public static EtcdCompare ModRevision(string key, long revision) => new(key, EtcdCompareTarget.Mod, EtcdCompareResult.Equal, revision);
}

/// <summary>A transaction operation: a put, or a delete of a key or of every key under a prefix.</summary>
internal sealed record EtcdOperation(bool IsDelete, string Key, string? Value = null, bool Prefix = false, long Lease = 0)
{
    public static EtcdOperation Put(string key, string value, long lease = 0) => new(false, key, value, false, lease);

    public static EtcdOperation Delete(string key, bool prefix = false) => new(true, key, null, prefix);
}

/// <summary>The outcome of a transaction.</summary>
internal sealed record EtcdTxnResult(bool Succeeded, long Revision);
