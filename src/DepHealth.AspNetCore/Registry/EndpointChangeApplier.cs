using DepHealth.AspNetCore.Monitoring;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Applies one add, update or remove all or nothing: the spec is validated, its checker created and the change written
/// to the store before anything local changes, so a refusal or a failure leaves everything as it was; then the state
/// and the scheduler change together and the change is audited. Callers hold the registry's lock.
/// </summary>
internal sealed class EndpointChangeApplier(
    HealthStateStore store,
    CheckScheduler scheduler,
    EndpointEntryFactory entries,
    EndpointStoreWriter storeWriter,
    RegistryAudit audit,
    HealthChangeNotifier notifier)
{
    public async Task<bool> AddAsync(EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        var operation = new RegistryOperation(RegistryChangeCounter.Add, SafeKey(spec), change);
        var settings = entries.ValidateOrThrow(spec, operation);
        if (store.TryGet(spec.Key, out var existing))
        {
            if (existing.Spec.Equals(spec))
            {
                audit.Changed(operation, RegistryChangeCounter.Unchanged);
                return false;
            }

            audit.Rejected(operation, RegistryChangeCounter.Conflict, "registered with a different spec");
            throw new EndpointConflictException(spec.Key);
        }

        var persist = storeWriter.Persists(change);
        if (persist)
        {
            storeWriter.EnsureStorable(spec, operation);
        }

        var (entry, ownsChecker) = entries.Create(spec, settings, operation, Restricted(change));
        if (persist)
        {
            await WriteOrDisposeAsync(storeWriter.AddAsync(spec, operation, cancellationToken), entry, ownsChecker);
        }

        store.Set(entry);
        scheduler.Schedule(entry, ownsChecker);
        audit.Changed(operation, RegistryChangeCounter.Success);
        return true;
    }

    public async Task<bool> RemoveAsync(EndpointKey key, RegistryChange change, CancellationToken cancellationToken)
    {
        var operation = new RegistryOperation(RegistryChangeCounter.Remove, key.ToString(), change);
        var found = store.TryGet(key, out var entry);
        if (storeWriter.Persists(change) && (!found || entry.Source == EndpointSource.Runtime))
        {
            // Deleted from the store even when this replica does not run it (it may have refused it), so it goes everywhere.
            await storeWriter.RemoveAsync(key, operation, cancellationToken);
        }

        if (!found)
        {
            audit.Changed(operation, RegistryChangeCounter.Unchanged);
            return false;
        }

        // Out of the store first, so no scrape from now on sees it; then the loop, whose in-flight check
        // can no longer write because the entry is marked removed.
        store.Remove(entry);
        await scheduler.UnscheduleAsync(entry);
        notifier.Removed(entry);
        audit.Changed(operation with { Endpoint = entry.KeyText }, RegistryChangeCounter.Success);
        return true;
    }

    public async Task UpdateAsync(EndpointKey oldKey, EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        var operation = new RegistryOperation(RegistryChangeCounter.Update, oldKey.ToString(), change);
        if (!store.TryGet(oldKey, out var old))
        {
            audit.Rejected(operation, RegistryChangeCounter.NotFound, "not registered");
            throw new EndpointNotFoundException(oldKey);
        }

        var settings = entries.ValidateOrThrow(spec, operation);
        if (spec.Key != oldKey && store.TryGet(spec.Key, out _))
        {
            audit.Rejected(operation, RegistryChangeCounter.Conflict, $"new key {spec.Key} belongs to another endpoint");
            throw new EndpointConflictException(spec.Key);
        }

        if (spec.Key == oldKey && old.Spec.Equals(spec))
        {
            audit.Changed(operation, RegistryChangeCounter.Unchanged);
            return;
        }

        // The endpoint keeps its source: a runtime update of a configuration endpoint stays a configuration endpoint.
        var kept = operation with { Change = change with { Source = old.Source } };
        var persist = storeWriter.Persists(kept.Change);
        if (persist)
        {
            storeWriter.EnsureStorable(spec, operation);
        }

        // Blue-green: the new endpoint exists and runs before the old one stops. If creating it (or storing it) fails,
        // nothing has been touched yet.
        var (entry, ownsChecker) = entries.Create(spec, settings, kept, Restricted(change));
        if (persist)
        {
            await WriteOrDisposeAsync(storeWriter.ReplaceAsync(oldKey, spec, operation, cancellationToken), entry, ownsChecker);
        }

        if (spec.Key == oldKey)
        {
            entry.InheritReadiness(old);
        }

        store.Set(entry);
        scheduler.Schedule(entry, ownsChecker);
        if (spec.Key == oldKey)
        {
            old.MarkRemoved();
        }
        else
        {
            store.Remove(old);
        }

        await scheduler.UnscheduleAsync(old);
        if (spec.Key != oldKey)
        {
            notifier.Removed(old);
        }

        audit.Changed(operation with { Endpoint = $"{operation.Endpoint} -> {spec.Key}" }, RegistryChangeCounter.Success);
    }

    /// <summary>Changes made at runtime are held to the host policy, also when they update an endpoint from configuration.</summary>
    private static bool Restricted(RegistryChange change) => change.Source == EndpointSource.Runtime;

    private static string SafeKey(EndpointSpec spec) =>
        $"{spec.Dependency}:{spec.Host}:{spec.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Waits for the store write; when it fails (or is canceled) the new, never scheduled checker is disposed.</summary>
    private static async Task WriteOrDisposeAsync(Task write, EndpointEntry created, bool ownsChecker)
    {
        try
        {
            await write;
        }
        catch
        {
            await EndpointEntryFactory.DisposeUnusedAsync(created, ownsChecker);
            throw;
        }
    }
}
