using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Diagnostics;

/// <summary>
/// Every log event of the package, source-generated. Event ids are stable: 1xxx checks, 2xxx registry,
/// 3xxx scheduler,
/// 4xxx configuration reloads, 6xxx registry store, 7xxx rendering responses and metrics (5xxx: the etcd package). Messages carry endpoint keys and scrubbed
/// reasons, never credentials.
/// </summary>
internal static partial class DependencyHealthLog
{
    [LoggerMessage(EventId = 1001, EventName = "CheckFailed", Level = LogLevel.Warning,
        Message = "Check of {Endpoint} failed: {Status} ({Detail}) after {LatencyMs:0.#} ms: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string endpoint, string status, string detail, double latencyMs, string reason);

    [LoggerMessage(EventId = 1002, EventName = "EndpointUnhealthy", Level = LogLevel.Error,
        Message = "Dependency endpoint {Endpoint} is unhealthy: {Status} ({Detail})")]
    public static partial void EndpointUnhealthy(ILogger logger, string endpoint, string status, string detail);

    [LoggerMessage(EventId = 1003, EventName = "EndpointRecovered", Level = LogLevel.Information,
        Message = "Dependency endpoint {Endpoint} recovered")]
    public static partial void EndpointRecovered(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1004, EventName = "EndpointHealthy", Level = LogLevel.Debug,
        Message = "Dependency endpoint {Endpoint} is healthy after its first check")]
    public static partial void EndpointHealthy(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1005, EventName = "CheckAbandoned", Level = LogLevel.Warning,
        Message = "Check of {Endpoint} ignored cancellation: still running {GraceMs} ms after its timeout of {TimeoutMs} ms, it is abandoned; the next check waits for it")]
    public static partial void CheckAbandoned(ILogger logger, string endpoint, double graceMs, double timeoutMs);

    [LoggerMessage(EventId = 1006, EventName = "EndpointFlapping", Level = LogLevel.Warning,
        Message = "Dependency endpoint {Endpoint} is flapping: more than {Threshold} health changes within its last {Size} results")]
    public static partial void EndpointFlapping(ILogger logger, string endpoint, int threshold, int size);

    [LoggerMessage(EventId = 1007, EventName = "ObserverFailed", Level = LogLevel.Error,
        Message = "Health observer {Observer} failed on {Transition} of {Endpoint}; it keeps receiving changes")]
    public static partial void ObserverFailed(ILogger logger, string observer, string transition, string endpoint, Exception exception);

    [LoggerMessage(EventId = 1008, EventName = "ObserverFellBehind", Level = LogLevel.Warning,
        Message = "Health observer {Observer} is {Capacity} changes behind: the oldest change is dropped ({Dropped} dropped so far)")]
    public static partial void ObserverFellBehind(ILogger logger, string observer, int capacity, long dropped);

    [LoggerMessage(EventId = 2001, EventName = "RegistryChanged", Level = LogLevel.Information,
        Message = "Audit: registry {Operation} of {Endpoint} by {Actor} ({Source}): {Result}")]
    public static partial void RegistryChanged(ILogger logger, string operation, string endpoint, string actor, string source, string result);

    [LoggerMessage(EventId = 2002, EventName = "RegistryChangeRejected", Level = LogLevel.Warning,
        Message = "Audit: registry {Operation} of {Endpoint} by {Actor} ({Source}) rejected: {Result}: {Reason}")]
    public static partial void RegistryChangeRejected(ILogger logger, string operation, string endpoint, string actor, string source, string result, string reason);

    [LoggerMessage(EventId = 2003, EventName = "RegistryAuthenticationFailed", Level = LogLevel.Warning,
        Message = "Registry API {Method} {Path} from {Client} failed authorization ({Outcome}): failure {Failures} of {Limit} allowed per {WindowSeconds} s")]
    public static partial void RegistryAuthenticationFailed(ILogger logger, string method, string path, string client, string outcome, int failures, int limit, double windowSeconds);

    [LoggerMessage(EventId = 2004, EventName = "RegistryClientThrottled", Level = LogLevel.Warning,
        Message = "Registry API client {Client} throttled after {Limit} failed authorizations: its requests answer 429 until its {WindowSeconds} s window ends")]
    public static partial void RegistryClientThrottled(ILogger logger, string client, int limit, double windowSeconds);

    [LoggerMessage(EventId = 3001, EventName = "SchedulerStarted", Level = LogLevel.Information,
        Message = "Dependency health scheduler started with {Endpoints} endpoints")]
    public static partial void SchedulerStarted(ILogger logger, int endpoints);

    [LoggerMessage(EventId = 3002, EventName = "SchedulerStopped", Level = LogLevel.Information,
        Message = "Dependency health scheduler stopped; {Abandoned} abandoned checks were still running")]
    public static partial void SchedulerStopped(ILogger logger, long abandoned);

    [LoggerMessage(EventId = 4001, EventName = "ConfigReloaded", Level = LogLevel.Information,
        Message = "Audit: configuration reload applied in {DurationMs:0.###} ms: added [{Added}], removed [{Removed}], updated [{Updated}]")]
    public static partial void ConfigReloaded(ILogger logger, double durationMs, IEnumerable<EndpointKey> added, IEnumerable<EndpointKey> removed, IEnumerable<EndpointKey> updated);

    [LoggerMessage(EventId = 4002, EventName = "ConfigReloadFailed", Level = LogLevel.Error,
        Message = "Configuration reload rejected ({Count} errors, the first at {Key}); the previous configuration keeps running: {Errors}")]
    public static partial void ConfigReloadFailed(ILogger logger, int count, string key, string errors);

    [LoggerMessage(EventId = 4003, EventName = "ConfigReloadDeferred", Level = LogLevel.Debug,
        Message = "Configuration changed; the reload waits {DelayMs:0.#} ms for the debounce and the minimum interval between reloads")]
    public static partial void ConfigReloadDeferred(ILogger logger, double delayMs);

    [LoggerMessage(EventId = 4004, EventName = "ConfigGlobalChanged", Level = LogLevel.Warning,
        Message = "{Key} changed in configuration; global settings take effect at the next restart, dependency changes are applied now")]
    public static partial void ConfigGlobalChanged(ILogger logger, string key);

    [LoggerMessage(EventId = 4005, EventName = "ConfigReloadUnchanged", Level = LogLevel.Debug,
        Message = "Configuration changed but the monitored dependencies did not; nothing to reload")]
    public static partial void ConfigReloadUnchanged(ILogger logger);

    [LoggerMessage(EventId = 6001, EventName = "RegistryStoreLoaded", Level = LogLevel.Information,
        Message = "Loaded {Endpoints} runtime endpoints from the registry store {Store} at version {Version}")]
    public static partial void StoreLoaded(ILogger logger, int endpoints, string store, long version);

    [LoggerMessage(EventId = 6002, EventName = "RegistryStoreUnavailableAtStartup", Level = LogLevel.Warning,
        Message = "The registry store {Store} could not be read at startup: {Reason}; starting without its endpoints and loading them when it answers")]
    public static partial void StoreUnavailableAtStartup(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 6003, EventName = "RegistryStoreChangeFailed", Level = LogLevel.Error,
        Message = "A {Kind} change at version {Version} from the registry store could not be applied")]
    public static partial void StoreChangeFailed(ILogger logger, string kind, long version, Exception exception);

    [LoggerMessage(EventId = 6004, EventName = "RegistryStoreFeedStopped", Level = LogLevel.Error,
        Message = "The feed of the registry store {Store} stopped; changes made by other replicas no longer arrive")]
    public static partial void StoreFeedStopped(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 6005, EventName = "HistoryRestored", Level = LogLevel.Information,
        Message = "Restored the kept results of {Endpoints} endpoints from the registry store {Store}; health stays unknown until each endpoint's first check")]
    public static partial void HistoryRestored(ILogger logger, int endpoints, string store);

    [LoggerMessage(EventId = 6006, EventName = "HistoryUnreadable", Level = LogLevel.Warning,
        Message = "The saved results of {Endpoint} in the registry store {Store} cannot be read ({Reason}); it starts with an empty history")]
    public static partial void HistoryUnreadable(ILogger logger, string endpoint, string store, string reason);

    [LoggerMessage(EventId = 6007, EventName = "HistorySaveFailed", Level = LogLevel.Warning,
        Message = "The kept results could not be saved to the registry store {Store}: {Reason}; trying again at the next save")]
    public static partial void HistorySaveFailed(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 6008, EventName = "HistorySaved", Level = LogLevel.Debug,
        Message = "Saved the kept results of {Endpoints} endpoints (removed {Removed}) to the registry store {Store} in {ElapsedMs} ms")]
    public static partial void HistorySaved(ILogger logger, int endpoints, int removed, string store, long elapsedMs);
}
