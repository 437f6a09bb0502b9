// Over 300 lines on purpose: loading, watching and reconnecting share one provider's state and revision; split, that state would have to be shared across types.
using System.Text.Json;
using DepHealth.AspNetCore.Etcd.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// Configuration from the keys under an etcd prefix, kept current by a watch. The first read ranges over the prefix;
/// from then on a watch resumes from the last revision seen, so no change is missed or applied twice across
/// reconnects; if etcd compacted that revision away, everything is read again. Errors never reach the application:
/// the last known values stay in effect (or, at startup, the cache file's, or none) while the source reconnects with
/// exponential backoff.
/// </summary>
public sealed class EtcdConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly EtcdConfigurationOptions _options;
    private readonly EtcdClient _client;
    private readonly string _prefix;
    private readonly DeferredLogger _logger = new();
    private readonly ResiliencePipeline _reconnect;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private Task? _loop;
    private int _disposed;
    private long _revision;
    private bool _needRange = true;
    private int _watching;
    private long _loadedRevisions;

    /// <summary>Creates the provider; nothing is read before <see cref="Load"/>.</summary>
    /// <param name="options">Where to read from.</param>
    public EtcdConfigurationProvider(EtcdConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _prefix = EtcdKeyMapper.NormalizePrefix(options.Prefix);
        _client = new EtcdClient(new EtcdClientSettings
        {
            Endpoints = EtcdClientSettings.ParseEndpoints(options.Endpoints),
            Username = string.IsNullOrEmpty(options.Username) ? null : options.Username,
            Password = options.Password,
            CaFile = NullIfEmpty(options.CaFile),
            ClientCertificateFile = NullIfEmpty(options.ClientCertificateFile),
            ClientKeyFile = NullIfEmpty(options.ClientKeyFile),
            RequestTimeout = options.RequestTimeout,
            DialTimeout = options.DialTimeout,
        });
        if (options.LoggerFactory is { } factory)
        {
            AttachLogger(factory);
        }

        _reconnect = new ResiliencePipelineBuilder { TimeProvider = options.ReconnectClock }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.ReconnectJitter,
                Delay = options.ReconnectDelay,
                MaxDelay = options.MaxReconnectDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !_stopping.IsCancellationRequested),
                OnRetry = args =>
                {
                    OnDisconnected(args.Outcome.Exception);
                    EtcdLog.Retry(_logger, args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? "unknown");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The normalized key prefix (with a trailing <c>/</c>).</summary>
    public string Prefix => _prefix;

    /// <summary>The etcd revision the values reflect; 0 before the first successful read.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Whether a watch is established right now.</summary>
    public bool IsWatching => Volatile.Read(ref _watching) != 0;

    /// <summary>Full reads done (the first one, and after each compaction), for tests.</summary>
    internal long FullReads => Interlocked.Read(ref _loadedRevisions);

    /// <summary>Sends this provider's log events (and those buffered since startup) to <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The application's logging.</param>
    public void AttachLogger(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger.Attach(loggerFactory.CreateLogger<EtcdConfigurationProvider>());
    }

    /// <summary>
    /// Reads the prefix once (waiting at most <see cref="EtcdConfigurationOptions.StartupTimeout"/>) and starts the
    /// watch. Never throws because etcd is unavailable. Later calls keep the live values.
    /// </summary>
    public override void Load()
    {
        if (_loop is not null)
        {
            return;
        }

        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            startup.CancelAfter(_options.StartupTimeout);
            Task.Run(() => RangeAsync(notify: false, startup.Token), startup.Token).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // etcd being unavailable must never stop the application from starting.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var source = "the other configuration sources only";
            if (ReadCache() is { } cached)
            {
                Data = cached;
                source = $"the {cached.Count} values of the cache file {_options.CacheFile}";
            }

            EtcdLog.UnavailableAtStartup(_logger, _options.Endpoints ?? string.Empty, Reason(exception), source);
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Stops the watch; once, however often the configuration that owns it is disposed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IAsyncEnumerator<EtcdWatchResponse>? watch = null;
            try
            {
                watch = await _reconnect.ExecuteAsync(ConnectAsync, cancellationToken);
                await PumpAsync(watch);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A broken watch is reconnected; the last values stay in effect.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                OnDisconnected(exception);
            }
            finally
            {
                if (watch is not null)
                {
                    await watch.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Reads everything when needed (first time, after compaction), then opens a watch from the next revision.</summary>
    private async ValueTask<IAsyncEnumerator<EtcdWatchResponse>> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_needRange)
        {
            await RangeAsync(notify: true, cancellationToken);
        }
        else if (_client.Authenticates)
        {
            // etcd's gateway never answers a watch whose token is invalid (for example after etcd restarted), so a
            // cheap read first renews the token when needed.
            await _client.RangeAsync(_prefix, cancellationToken: cancellationToken);
        }

        var from = Revision + 1;
        var watch = _client.WatchAsync(_prefix, prefix: true, from, progressNotify: true, _stopping.Token).GetAsyncEnumerator(_stopping.Token);
        try
        {
            if (!await watch.MoveNextAsync())
            {
                throw new EtcdException("the watch stream closed before the watch was created");
            }

            Apply(watch.Current);
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }

        if (Interlocked.Exchange(ref _watching, 1) == 0)
        {
            EtcdLog.Reconnected(_logger, _prefix, from);
        }

        return watch;
    }

    private async Task PumpAsync(IAsyncEnumerator<EtcdWatchResponse> watch)
    {
        if (_needRange)
        {
            return;
        }

        while (await watch.MoveNextAsync())
        {
            Apply(watch.Current);
            if (_needRange)
            {
                return;
            }
        }

        throw new EtcdException("the watch stream ended");
    }

    private async Task RangeAsync(bool notify, CancellationToken cancellationToken)
    {
        var result = await _client.RangeAsync(_prefix, prefix: true, cancellationToken: cancellationToken);
        lock (_gate)
        {
            _keys.Clear();
            foreach (var kv in result.Kvs)
            {
                _keys[kv.Key] = kv.Value;
            }

            _revision = result.Revision;
            _needRange = false;
        }

        Interlocked.Increment(ref _loadedRevisions);
        EtcdLog.Loaded(_logger, result.Kvs.Count, _prefix, result.Revision);
        Publish(notify);
    }

    /// <summary>Applies one watch message: events newer than the last revision seen, or compaction.</summary>
    private void Apply(EtcdWatchResponse message)
    {
        if (message.CompactRevision > 0)
        {
            EtcdLog.Compacted(_logger, _prefix, Revision + 1, message.CompactRevision);
            _needRange = true;
            return;
        }

        if (message.Canceled)
        {
            throw new EtcdException($"etcd canceled the watch: {message.CancelReason ?? "no reason given"}");
        }

        var changed = false;
        long revision;
        lock (_gate)
        {
            // Events of one transaction share a revision, so compare against the revision before this message.
            var seen = _revision;
            foreach (var change in message.Events)
            {
                if (change.ModRevision <= seen)
                {
                    continue;
                }

                changed |= change.IsDelete ? _keys.Remove(change.Key) : !_keys.TryGetValue(change.Key, out var old) || old != change.Value;
                if (!change.IsDelete)
                {
                    _keys[change.Key] = change.Value;
                }

                _revision = Math.Max(_revision, change.ModRevision);
            }

            if (message.Events.Count == 0 && !message.Created)
            {
                // A progress notification: every change up to this revision has been sent.
                _revision = Math.Max(_revision, message.Revision);
            }

            revision = _revision;
        }

        if (changed)
        {
            EtcdLog.Changed(_logger, _prefix, revision);
            Publish(notify: true);
        }
    }

    private void Publish(bool notify)
    {
        Dictionary<string, string?> data;
        lock (_gate)
        {
            data = EtcdKeyMapper.Map(_keys, _prefix, _options.ExpandJsonValues);
        }

        if (Same(data, Data))
        {
            return;
        }

        Data = data;
        WriteCache(data);
        if (notify)
        {
            try
            {
                OnReload();
            }
#pragma warning disable CA1031 // A listener's failure (for example IOptionsMonitor validating) must not stop the watch.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EtcdLog.ListenerFailed(_logger, exception);
            }
        }
    }

    private void OnDisconnected(Exception? exception)
    {
        // Logged once per outage; the retries in between log at Debug.
        if (Interlocked.Exchange(ref _watching, 0) == 1)
        {
            EtcdLog.ConnectionLost(_logger, _prefix, Reason(exception));
        }
    }

    private Dictionary<string, string?>? ReadCache()
    {
        if (string.IsNullOrEmpty(_options.CacheFile) || !File.Exists(_options.CacheFile))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(_options.CacheFile);
            var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(stream);
            return values is null ? null : new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            EtcdLog.CacheFailed(_logger, _options.CacheFile, "read", exception.Message);
            return null;
        }
    }

    private void WriteCache(Dictionary<string, string?> data)
    {
        if (string.IsNullOrEmpty(_options.CacheFile))
        {
            return;
        }

        var temporary = _options.CacheFile + ".tmp";
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(_options.CacheFile));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, file))
            {
                JsonSerializer.Serialize(stream, new SortedDictionary<string, string?>(data, StringComparer.Ordinal));
            }

            File.Move(temporary, _options.CacheFile, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            EtcdLog.CacheFailed(_logger, _options.CacheFile, "written", exception.Message);
        }
    }

    private static bool Same(Dictionary<string, string?> left, IDictionary<string, string?> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Reason(Exception? exception) => exception switch
    {
        null => "unknown",
        EtcdException etcd => etcd.Message,
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
