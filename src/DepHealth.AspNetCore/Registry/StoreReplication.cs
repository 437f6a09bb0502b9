using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Makes this replica's runtime endpoints what the registry store holds: every stored endpoint at startup (a snapshot)
/// and then each change of the store's feed, applied exactly as a local change (validation, blue-green update, series
/// removal) but not written back. Changes no newer than what this replica wrote or applied for the key are skipped, so
/// the feed's echo of a local write changes nothing. Callers hold the registry's lock.
/// </summary>
internal sealed class StoreReplication(EndpointChangeApplier applier, HealthStateStore store, StoreVersions versions, RegistryAudit audit)
{
    /// <summary>The actor of changes that arrive from the store's feed.</summary>
    public const string Actor = "store";

    private static readonly RegistryChange FromStore = new(EndpointSource.Runtime, Actor, FromStore: true);

    public async Task ApplyAsync(EndpointStoreChange change, CancellationToken cancellationToken)
    {
        if (change.Kind == EndpointStoreChangeKind.Reset)
        {
            await ApplySnapshotAsync(change.Snapshot!, cancellationToken);
            return;
        }

        if (versions.IsApplied(change.Key, change.Version))
        {
            return;
        }

        var deleted = change.Kind == EndpointStoreChangeKind.Delete;
        versions.Record(change.Key, change.Version, deleted);
        await ApplyStoredAsync(change.Key, deleted ? null : change.Spec, change.Errors, cancellationToken);
        versions.FeedPassed(change.Version);
    }

    private async Task ApplySnapshotAsync(EndpointStoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<EndpointKey, StoredEndpoint>();
        foreach (var endpoint in snapshot.Endpoints)
        {
            stored[endpoint.Spec.Key] = endpoint;
        }

        // Keys this replica wrote after the snapshot was read keep their local state; the feed brings them.
        bool WrittenSince(EndpointKey key) => versions.ChangedAfter(key, snapshot.Version);

        foreach (var entry in store.Sorted())
        {
            if (entry.Source == EndpointSource.Runtime && !entry.IsRemoved && !stored.ContainsKey(entry.Key) && !WrittenSince(entry.Key))
            {
                await ApplyStoredAsync(entry.Key, null, null, cancellationToken);
            }
        }

        foreach (var (key, endpoint) in stored.OrderBy(s => s.Key))
        {
            if (!WrittenSince(key))
            {
                versions.Record(key, endpoint.Version, deleted: false);
                await ApplyStoredAsync(key, endpoint.Spec, null, cancellationToken);
            }
        }

        versions.SnapshotApplied(snapshot.Version, stored.ContainsKey);
    }

    /// <summary>Makes the runtime endpoint under <paramref name="key"/> match the store: <paramref name="spec"/>, or none when null.</summary>
    private async Task ApplyStoredAsync(EndpointKey key, EndpointSpec? spec, string? unreadable, CancellationToken cancellationToken)
    {
        store.TryGet(key, out var existing);
        if (existing is { Source: EndpointSource.Configuration })
        {
            if (spec is not null)
            {
                Reject(RegistryChangeCounter.Add, key, RegistryChangeCounter.Conflict, "the key belongs to an endpoint from configuration, which wins on this replica");
            }

            return;
        }

        try
        {
            if (unreadable is not null)
            {
                Reject(existing is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update, key, RegistryChangeCounter.Invalid, $"the stored value is not an endpoint: {unreadable}");
            }
            else if (spec is null)
            {
                if (existing is not null)
                {
                    await applier.RemoveAsync(key, FromStore, cancellationToken);
                }
            }
            else if (existing is null)
            {
                await applier.AddAsync(spec, FromStore, cancellationToken);
            }
            else if (!existing.Spec.Equals(spec))
            {
                await applier.UpdateAsync(key, spec, FromStore, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is EndpointValidationException or EndpointConflictException)
        {
            // Rejected here exactly as a local change would be (audited by the operation); the store keeps its value.
        }
    }

    private void Reject(string operation, EndpointKey key, string result, string reason) =>
        audit.Rejected(new RegistryOperation(operation, key.ToString(), FromStore), result, reason);
}
