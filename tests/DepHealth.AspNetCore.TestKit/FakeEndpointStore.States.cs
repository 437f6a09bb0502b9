using System.Collections.Concurrent;
using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>The fake store also keeps endpoint states, as the sqlite store does; every save is recorded.</summary>
internal sealed partial class FakeEndpointStore : IEndpointStateStore
{
    /// <summary>The saved state per key, as the last save left it.</summary>
    public ConcurrentDictionary<EndpointKey, byte[]> States { get; } = new();

    /// <summary>The keys each save wrote and deleted, in order.</summary>
    public ConcurrentQueue<(EndpointKey[] Saved, EndpointKey[] Removed)> Saves { get; } = new();

    /// <summary>When set, every state save fails as an unreachable store does.</summary>
    public bool StatesUnavailable { get; set; }

    public Task<IReadOnlyDictionary<EndpointKey, byte[]>> LoadStatesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<EndpointKey, byte[]>>(new Dictionary<EndpointKey, byte[]>(States));

    public Task SaveStatesAsync(IReadOnlyList<KeyValuePair<EndpointKey, byte[]>> saved, IReadOnlyList<EndpointKey> removed, CancellationToken cancellationToken)
    {
        if (StatesUnavailable)
        {
            throw new RegistryStoreUnavailableException("registry store unavailable: fake states");
        }

        foreach (var (key, bytes) in saved)
        {
            States[key] = bytes;
        }

        foreach (var key in removed)
        {
            States.TryRemove(key, out _);
        }

        Saves.Enqueue(([.. saved.Select(s => s.Key)], [.. removed]));
        return Task.CompletedTask;
    }
}
