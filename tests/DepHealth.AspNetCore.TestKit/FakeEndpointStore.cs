using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// A registry store in memory whose feed the test writes: what the registry stored, and changes "from other replicas".
/// Versions increase from 1; <see cref="Unavailable"/> makes every write fail as an unreachable store does.
/// </summary>
internal sealed partial class FakeEndpointStore : IEndpointStore
{
    private readonly Channel<EndpointStoreChange> _feed = Channel.CreateUnbounded<EndpointStoreChange>();
    private readonly Lock _gate = new();
    private long _version;

    public Dictionary<EndpointKey, StoredEndpoint> Stored { get; } = [];

    public bool Unavailable { get; set; }

    public string Description => "fake";

    public long Version => Interlocked.Read(ref _version);

    public Task<EndpointStoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new EndpointStoreSnapshot([.. Stored.Values], _version));
        }
    }

    public Task<long> AddAsync(EndpointSpec spec, CancellationToken cancellationToken) => Write(() =>
    {
        _ = EndpointStoreCodec.Encode(spec);
        Stored[spec.Key] = new StoredEndpoint(spec, ++_version);
        return _version;
    });

    public Task<long> ReplaceAsync(EndpointKey oldKey, long expectedVersion, EndpointSpec spec, CancellationToken cancellationToken) => Write(() =>
    {
        if (!Stored.TryGetValue(oldKey, out var old) || old.Version != expectedVersion)
        {
            throw new EndpointConflictException(oldKey);
        }

        Stored.Remove(oldKey);
        Stored[spec.Key] = new StoredEndpoint(spec, ++_version);
        return _version;
    });

    public Task<long> RemoveAsync(EndpointKey key, CancellationToken cancellationToken) => Write(() =>
    {
        Stored.Remove(key);
        return ++_version;
    });

    /// <summary>A change made "by another replica": stored, and sent on the feed.</summary>
    public long Publish(EndpointSpec? spec, EndpointKey key)
    {
        lock (_gate)
        {
            _version++;
            if (spec is null)
            {
                Stored.Remove(key);
                _feed.Writer.TryWrite(EndpointStoreChange.Delete(key, _version));
            }
            else
            {
                Stored[key] = new StoredEndpoint(spec, _version);
                _feed.Writer.TryWrite(EndpointStoreChange.Put(spec, _version));
            }

            return _version;
        }
    }

    /// <summary>Sends a change as it is, for example an old one arriving late.</summary>
    public void Send(EndpointStoreChange change) => _feed.Writer.TryWrite(change);

    public async IAsyncEnumerable<EndpointStoreChange> WatchAsync(long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _feed.Reader.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<long> Write(Func<long> write)
    {
        lock (_gate)
        {
            return Unavailable
                ? Task.FromException<long>(new RegistryStoreUnavailableException("registry store unavailable: fake is down"))
                : Task.FromResult(write());
        }
    }
}
