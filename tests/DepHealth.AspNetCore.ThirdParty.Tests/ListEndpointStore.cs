using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.ThirdParty.Tests;

/// <summary>A registry store written against the public contract only: stored endpoints as the codec's JSON in a dictionary that outlives one app.</summary>
internal sealed class ListEndpointStore : IEndpointStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EndpointKey, (string Json, long Version)> _stored = [];
    private long _version;

    public string Description => "list store (test)";

    public int Writes { get; private set; }

    public Task<EndpointStoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var endpoints = _stored.Values.Select(v => new StoredEndpoint(Decode(v.Json), v.Version)).ToList();
            return Task.FromResult(new EndpointStoreSnapshot(endpoints, _version));
        }
    }

    public Task<long> AddAsync(EndpointSpec spec, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var json = EndpointStoreCodec.Encode(spec);
            if (_stored.TryGetValue(spec.Key, out var existing))
            {
                return existing.Json == json ? Task.FromResult(existing.Version) : throw new EndpointConflictException(spec.Key);
            }

            return Task.FromResult(Put(spec.Key, json));
        }
    }

    public Task<long> ReplaceAsync(EndpointKey oldKey, long expectedVersion, EndpointSpec spec, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_stored.TryGetValue(oldKey, out var existing) || existing.Version != expectedVersion)
            {
                throw new EndpointConflictException(oldKey);
            }

            _stored.Remove(oldKey);
            return Task.FromResult(Put(spec.Key, EndpointStoreCodec.Encode(spec)));
        }
    }

    public Task<long> RemoveAsync(EndpointKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stored.Remove(key);
            return Task.FromResult(++_version);
        }
    }

    // One process writes this store: there is nothing to follow.
    public async IAsyncEnumerable<EndpointStoreChange> WatchAsync(long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Channel.CreateUnbounded<EndpointStoreChange>().Reader.WaitToReadAsync(cancellationToken);
        yield break;
    }

    // The app disposes its store at shutdown; this one outlives the app on purpose.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private long Put(EndpointKey key, string json)
    {
        Writes++;
        _stored[key] = (json, ++_version);
        return _version;
    }

    private static EndpointSpec Decode(string json)
    {
        var errors = new List<EndpointValidationError>();
        return EndpointStoreCodec.Decode(json, errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }
}
