using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// Log events of the etcd configuration source (50xx) and registry store (51xx). Messages name endpoints, prefixes and keys,
/// never credentials or stored values.
/// </summary>
internal static partial class EtcdLog
{
    [LoggerMessage(EventId = 5001, EventName = "EtcdLoaded", Level = LogLevel.Information,
        Message = "Loaded {Keys} configuration keys from etcd prefix {Prefix} at revision {Revision}")]
    public static partial void Loaded(ILogger logger, int keys, string prefix, long revision);

    [LoggerMessage(EventId = 5002, EventName = "EtcdUnavailableAtStartup", Level = LogLevel.Warning,
        Message = "etcd ({Endpoints}) could not be read at startup: {Reason}; starting with {Source} and retrying in the background")]
    public static partial void UnavailableAtStartup(ILogger logger, string endpoints, string reason, string source);

    [LoggerMessage(EventId = 5003, EventName = "EtcdConnectionLost", Level = LogLevel.Warning,
        Message = "Lost the etcd watch of {Prefix}: {Reason}; the last known values stay in effect while it reconnects")]
    public static partial void ConnectionLost(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 5004, EventName = "EtcdReconnected", Level = LogLevel.Information,
        Message = "Watching etcd prefix {Prefix} again from revision {Revision}")]
    public static partial void Reconnected(ILogger logger, string prefix, long revision);

    [LoggerMessage(EventId = 5005, EventName = "EtcdCompacted", Level = LogLevel.Warning,
        Message = "etcd compacted revision {Revision} of {Prefix} before the watch resumed (compacted up to {CompactRevision}); reading every key again")]
    public static partial void Compacted(ILogger logger, string prefix, long revision, long compactRevision);

    [LoggerMessage(EventId = 5006, EventName = "EtcdChanged", Level = LogLevel.Debug,
        Message = "etcd prefix {Prefix} changed at revision {Revision}")]
    public static partial void Changed(ILogger logger, string prefix, long revision);

    [LoggerMessage(EventId = 5007, EventName = "EtcdRetry", Level = LogLevel.Debug,
        Message = "Reconnecting to etcd in {DelayMs:0} ms (attempt {Attempt}): {Reason}")]
    public static partial void Retry(ILogger logger, double delayMs, int attempt, string reason);

    [LoggerMessage(EventId = 5008, EventName = "EtcdCacheFailed", Level = LogLevel.Warning,
        Message = "The etcd cache file {File} could not be {Operation}: {Reason}")]
    public static partial void CacheFailed(ILogger logger, string file, string operation, string reason);

    [LoggerMessage(EventId = 5009, EventName = "EtcdListenerFailed", Level = LogLevel.Warning,
        Message = "A configuration change listener failed after an etcd change; the etcd watch goes on")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5101, EventName = "EtcdRegistryWatchLost", Level = LogLevel.Warning,
        Message = "Lost the etcd watch of the registry {Prefix}: {Reason}; endpoints keep being monitored, and other replicas' changes arrive once it reconnects")]
    public static partial void RegistryWatchLost(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 5102, EventName = "EtcdRegistryWatching", Level = LogLevel.Information,
        Message = "Watching the etcd registry {Prefix} from revision {Revision}")]
    public static partial void RegistryWatching(ILogger logger, string prefix, long revision);

    [LoggerMessage(EventId = 5103, EventName = "EtcdRegistryUnreadable", Level = LogLevel.Warning,
        Message = "The etcd key {Key} of the registry is not an endpoint and is ignored: {Reason}")]
    public static partial void RegistryUnreadable(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 5104, EventName = "EtcdRegistryCompacted", Level = LogLevel.Warning,
        Message = "etcd compacted the registry's history before the watch resumed (up to revision {CompactRevision}); reading every endpoint again")]
    public static partial void RegistryCompacted(ILogger logger, long compactRevision);
}
