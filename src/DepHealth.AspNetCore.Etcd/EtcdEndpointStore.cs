// Over 300 lines on purpose: the store contract's operations as etcd transactions, which share one key layout and one revision rule.
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DepHealth.AspNetCore.Etcd.Client;
using DepHealth.AspNetCore.Registry;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// Runtime endpoints shared through etcd: one JSON value per endpoint under <c>&lt;prefix&gt;/registry/</c>, versions are
/// etcd revisions. Adds compare that the key is missing and replaces compare its mod revision in one transaction, so
/// concurrent changes of one key from two replicas resolve in etcd's revision order: the first wins, the other fails
/// (409) and both converge through the watch. The watch reconnects with backoff and resumes from the last revision it
/// delivered; after a compaction it reads everything again.
/// </summary>
internal sealed class EtcdEndpointStore : IEndpointStore
{
    public const string RegistrySegment = "registry";

    private readonly EtcdRegistryStoreOptions _options;
    private readonly EtcdClient _client;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private int _watching;

    public EtcdEndpointStore(EtcdRegistryStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        if (string.IsNullOrWhiteSpace(options.Endpoints) || string.IsNullOrWhiteSpace(options.Prefix))
        {
            throw new InvalidOperationException(
                "The etcd registry store needs Endpoints (comma-separated URLs such as http://127.0.0.1:2379) and Prefix (such as /config/orders-api) in the section passed to AddEtcdRegistryStore.");
        }

        _prefix = EtcdKeyMapper.NormalizePrefix(options.Prefix) + RegistrySegment + "/";
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
    }

    public string Description => $"etcd {_options.Endpoints} {_prefix}";

    /// <summary>The key prefix endpoints are stored under, ending in <c>/registry/</c>.</summary>
    public string Prefix => _prefix;

    /// <summary>Whether the watch is established right now.</summary>
    public bool IsWatching => Volatile.Read(ref _watching) != 0;

    /// <summary>The etcd key of an endpoint: <c>&lt;prefix&gt;/registry/&lt;dependency&gt;/&lt;host&gt;/&lt;port&gt;</c>.</summary>
    public string KeyOf(EndpointKey key) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}{key.Dependency}/{key.Host}/{key.Port}");

    public async Task<EndpointStoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync(() => _client.RangeAsync(_prefix, prefix: true, cancellationToken: cancellationToken));
        var endpoints = new List<StoredEndpoint>(result.Kvs.Count);
        foreach (var kv in result.Kvs)
        {
            if (Parse(kv.Key, kv.Value) is { Spec: { } spec })
            {
                endpoints.Add(new StoredEndpoint(spec, kv.ModRevision));
            }
        }

        return new EndpointStoreSnapshot(endpoints, result.Revision);
    }

    public async Task<long> AddAsync(EndpointSpec spec, CancellationToken cancellationToken)
    {
        var key = KeyOf(spec.Key);
        var json = EndpointStoreCodec.Encode(spec);
        var txn = await CallAsync(() => _client.TxnAsync([EtcdCompare.Missing(key)], [EtcdOperation.Put(key, json)], cancellationToken: cancellationToken));
        if (txn.Succeeded)
        {
            return txn.Revision;
        }

        // Another replica stored the key first: the same endpoint is no conflict.
        var current = await CallAsync(() => _client.RangeAsync(key, cancellationToken: cancellationToken));
        if (current.Kvs is [var kv] && Parse(kv.Key, kv.Value) is { Spec: { } stored } && stored.Equals(spec))
        {
            return kv.ModRevision;
        }

        throw new EndpointConflictException(spec.Key);
    }

    public async Task<long> ReplaceAsync(EndpointKey oldKey, long expectedVersion, EndpointSpec spec, CancellationToken cancellationToken)
    {
        var oldEtcdKey = KeyOf(oldKey);
        var newEtcdKey = KeyOf(spec.Key);
        var json = EndpointStoreCodec.Encode(spec);
        List<EtcdCompare> compares = [EtcdCompare.ModRevision(oldEtcdKey, expectedVersion)];
        List<EtcdOperation> operations = [EtcdOperation.Put(newEtcdKey, json)];
        if (spec.Key != oldKey)
        {
            compares.Add(EtcdCompare.Missing(newEtcdKey));
            operations.Insert(0, EtcdOperation.Delete(oldEtcdKey));
        }

        var txn = await CallAsync(() => _client.TxnAsync(compares, operations, cancellationToken: cancellationToken));
        return txn.Succeeded
            ? txn.Revision
            : throw new EndpointConflictException(spec.Key == oldKey
                ? $"Endpoint '{oldKey}' was changed through another replica (etcd revision order decides); read it again and retry."
                : $"Endpoint '{oldKey}' was changed through another replica, or '{spec.Key}' was taken; read them again and retry.");
    }

    public async Task<long> RemoveAsync(EndpointKey key, CancellationToken cancellationToken)
    {
        var (revision, _) = await CallAsync(() => _client.DeleteAsync(KeyOf(key), cancellationToken: cancellationToken));
        return revision;
    }

    public async IAsyncEnumerable<EndpointStoreChange> WatchAsync(long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The watch runs on its own, reconnecting as needed; changes reach the reader in revision order.
        var changes = Channel.CreateUnbounded<EndpointStoreChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.Run(() => PumpAsync(afterVersion, changes.Writer, stopping.Token), CancellationToken.None);
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            await stopping.CancelAsync();
            await pump;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private async Task PumpAsync(long afterVersion, ChannelWriter<EndpointStoreChange> changes, CancellationToken cancellationToken)
    {
        var position = afterVersion;
        var reset = afterVersion == 0;
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (reset)
                {
                    var snapshot = await LoadAsync(cancellationToken);
                    changes.TryWrite(EndpointStoreChange.Reset(snapshot));
                    position = snapshot.Version;
                    reset = false;
                }
                else if (_client.Authenticates)
                {
                    // etcd's gateway never answers a watch whose token is invalid (after etcd restarted), so a cheap
                    // read renews the token first.
                    await _client.RangeAsync(_prefix + "~", cancellationToken: cancellationToken);
                }

                await foreach (var message in _client.WatchAsync(_prefix, prefix: true, position + 1, progressNotify: true, cancellationToken))
                {
                    if (message.CompactRevision > 0)
                    {
                        EtcdLog.RegistryCompacted(_logger, message.CompactRevision);
                        reset = true;
                        break;
                    }

                    if (message.Canceled)
                    {
                        throw new EtcdException($"etcd canceled the watch: {message.CancelReason ?? "no reason given"}");
                    }

                    if (message.Created)
                    {
                        attempt = 0;
                        if (Interlocked.Exchange(ref _watching, 1) == 0)
                        {
                            EtcdLog.RegistryWatching(_logger, _prefix, position + 1);
                        }
                    }

                    position = Deliver(message, position, changes);
                }

                if (!reset)
                {
                    throw new EtcdException("the watch stream ended");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the watch is an outage: monitoring goes on and the watch reconnects.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                if (Interlocked.Exchange(ref _watching, 0) == 1 || attempt == 0)
                {
                    EtcdLog.RegistryWatchLost(_logger, _prefix, Reason(exception));
                }

                try
                {
                    await Task.Delay(Backoff(attempt++), _options.ReconnectClock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Interlocked.Exchange(ref _watching, 0);
        changes.TryComplete();
    }

    /// <summary>Queues a message's changes newer than <paramref name="position"/>; returns the new position.</summary>
    private long Deliver(EtcdWatchResponse message, long position, ChannelWriter<EndpointStoreChange> changes)
    {
        if (message.Events.Count == 0)
        {
            // A progress notification: every change up to its revision has been sent.
            return message.Created ? position : Math.Max(position, message.Revision);
        }

        // A replace that moves an endpoint is one transaction (delete old, put new, one revision): the put first, so the
        // new endpoint starts before the old one stops, as on the replica that made the change.
        var latest = position;
        foreach (var change in message.Events.Where(e => e.ModRevision > position).OrderBy(e => e.ModRevision).ThenBy(e => e.IsDelete))
        {
            latest = Math.Max(latest, change.ModRevision);
            if (Parse(change.Key, change.IsDelete ? null : change.Value) is not { } parsed)
            {
                continue;
            }

            changes.TryWrite(change.IsDelete
                ? EndpointStoreChange.Delete(parsed.Key, change.ModRevision)
                : parsed.Spec is { } spec
                    ? EndpointStoreChange.Put(spec, change.ModRevision)
                    : new EndpointStoreChange(EndpointStoreChangeKind.Put, change.ModRevision, parsed.Key, Errors: parsed.Errors));
        }

        return latest;
    }

    /// <summary>The endpoint of an etcd key and value (a delete has no value); null when the key is not an endpoint's.</summary>
    private (EndpointKey Key, EndpointSpec? Spec, string? Errors)? Parse(string etcdKey, string? value)
    {
        var parts = etcdKey.StartsWith(_prefix, StringComparison.Ordinal) ? etcdKey[_prefix.Length..].Split('/') : [];
        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            EtcdLog.RegistryUnreadable(_logger, etcdKey, "the key is not <prefix>/registry/<dependency>/<host>/<port>");
            return null;
        }

        var key = new EndpointKey(parts[0], parts[1], port);
        if (value is null)
        {
            return (key, null, null);
        }

        var errors = new List<EndpointValidationError>();
        var spec = EndpointStoreCodec.Decode(value, errors);
        if (spec is not null && spec.Key == key)
        {
            return (key, spec, null);
        }

        var reason = spec is null ? string.Join("; ", errors) : $"the value is the endpoint {spec.Key}";
        EtcdLog.RegistryUnreadable(_logger, etcdKey, reason);
        return (key, null, reason);
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = Math.Min(_options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)), _options.MaxReconnectDelay.TotalMilliseconds);
        if (!_options.ReconnectJitter)
        {
            return TimeSpan.FromMilliseconds(delay);
        }

#pragma warning disable CA5394 // Jitter spreads reconnecting replicas; it needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
#pragma warning restore CA5394
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is EtcdException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            throw new RegistryStoreUnavailableException($"registry store unavailable: etcd ({_options.Endpoints}): {Reason(exception)}", exception);
        }
    }

    private static string Reason(Exception exception) => exception switch
    {
        EtcdException etcd => etcd.Message,
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
