using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// The registry: validates specs, creates checkers, and keeps the store and the scheduler's loops in step.
/// Changes are serialized; reads go straight to the store.
/// </summary>
internal sealed class EndpointRegistry : IEndpointRegistry, IDisposable
{
    private readonly SemaphoreSlim _mutation = new(1, 1);
    private readonly HealthStateStore _store;
    private readonly CheckScheduler _scheduler;
    private readonly CheckerCatalog _catalog;
    private readonly IServiceProvider _services;
    private readonly DependencyHealthOptions _options;
    private readonly RegistryChangeCounter _changes;
    private readonly ILogger _logger;
    private readonly HostPolicy _hostPolicy;
    private readonly Dictionary<EndpointKey, StoreVersion> _storeVersions = [];
    private long _generation;
    private long _storePosition;
    private int _storeDeletes;

    public EndpointRegistry(
        HealthStateStore store,
        CheckScheduler scheduler,
        CheckerCatalog catalog,
        IServiceProvider services,
        IOptions<DependencyHealthOptions> options,
        RegistryChangeCounter changes,
        ILogger<EndpointRegistry> logger,
        EndpointStoreHolder? endpointStore = null)
    {
        EndpointStore = endpointStore?.Store;
        _store = store;
        _scheduler = scheduler;
        _catalog = catalog;
        _services = services;
        _options = options.Value;
        _changes = changes;
        _logger = logger;
        _hostPolicy = HostPolicy.Create(_options.Registry);
    }

    /// <summary>The store runtime endpoints are kept in; null with <c>Registry:Store=memory</c>.</summary>
    public IEndpointStore? EndpointStore { get; }

    public Task<bool> AddAsync(EndpointSpec spec, CancellationToken cancellationToken = default) =>
        AddAsync(spec, new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public Task<bool> RemoveAsync(string dependency, string host, int port, CancellationToken cancellationToken = default) =>
        RemoveAsync(new EndpointKey(dependency, host, port), new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public Task UpdateAsync(string dependency, string oldHost, int oldPort, EndpointSpec spec, CancellationToken cancellationToken = default) =>
        UpdateAsync(new EndpointKey(dependency, oldHost, oldPort), spec, new RegistryChange(EndpointSource.Runtime, null), cancellationToken);

    public IReadOnlyList<RegisteredEndpoint> GetAll()
    {
        var entries = _store.Sorted();
        var result = new List<RegisteredEndpoint>(entries.Length);
        foreach (var entry in entries)
        {
            if (!entry.IsRemoved)
            {
                result.Add(ToRegistered(entry));
            }
        }

        return result;
    }

    public bool TryGet(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredEndpoint? endpoint)
    {
        if (_store.TryGet(key, out var entry) && !entry.IsRemoved)
        {
            endpoint = ToRegistered(entry);
            return true;
        }

        endpoint = null;
        return false;
    }

    /// <summary>Adds an endpoint; <paramref name="change"/> says where it comes from and who asked.</summary>
    public async Task<bool> AddAsync(EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Detached();
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            return await AddLockedAsync(spec, change, cancellationToken);
        }
        finally
        {
            _mutation.Release();
        }
    }

    public async Task<bool> RemoveAsync(EndpointKey key, RegistryChange change, CancellationToken cancellationToken)
    {
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            return await RemoveLockedAsync(key, change, cancellationToken);
        }
        finally
        {
            _mutation.Release();
        }
    }

    public async Task UpdateAsync(EndpointKey oldKey, EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Detached();
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            await UpdateLockedAsync(oldKey, spec, change, cancellationToken);
        }
        finally
        {
            _mutation.Release();
        }
    }

    /// <summary>
    /// Applies every stored endpoint at startup (a snapshot) or one change of the store's feed, exactly as a local change
    /// (validation, blue-green update, series removal) but without writing it back. Changes older than what this
    /// replica wrote or applied for the key are skipped, so the feed's echo of a local write changes nothing.
    /// </summary>
    public async Task ApplyStoreChangeAsync(EndpointStoreChange change, CancellationToken cancellationToken)
    {
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            if (change.Kind == EndpointStoreChangeKind.Reset)
            {
                await ApplySnapshotLockedAsync(change.Snapshot!, cancellationToken);
                return;
            }

            if (_storeVersions.TryGetValue(change.Key, out var known) && change.Version <= known.Version)
            {
                return;
            }

            SetStoreVersion(change.Key, change.Version, change.Kind == EndpointStoreChangeKind.Delete);
            await ApplyStoredLockedAsync(change.Key, change.Kind == EndpointStoreChangeKind.Delete ? null : change.Spec, change.Errors, cancellationToken);
            _storePosition = Math.Max(_storePosition, change.Version);
            ForgetEchoedDeletes();
        }
        finally
        {
            _mutation.Release();
        }
    }

    private async Task ApplySnapshotLockedAsync(EndpointStoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<EndpointKey, StoredEndpoint>();
        foreach (var endpoint in snapshot.Endpoints)
        {
            stored[endpoint.Spec.Key] = endpoint;
        }

        // Keys this replica wrote after the snapshot was read keep their local state; the feed brings them.
        bool WrittenSince(EndpointKey key) => _storeVersions.TryGetValue(key, out var v) && v.Version > snapshot.Version;

        foreach (var entry in _store.Sorted())
        {
            if (entry.Source == EndpointSource.Runtime && !entry.IsRemoved && !stored.ContainsKey(entry.Key) && !WrittenSince(entry.Key))
            {
                await ApplyStoredLockedAsync(entry.Key, null, null, cancellationToken);
            }
        }

        foreach (var (key, endpoint) in stored.OrderBy(s => s.Key))
        {
            if (!WrittenSince(key))
            {
                SetStoreVersion(key, endpoint.Version, deleted: false);
                await ApplyStoredLockedAsync(key, endpoint.Spec, null, cancellationToken);
            }
        }

        foreach (var key in _storeVersions.Keys.Where(k => !stored.ContainsKey(k) && !WrittenSince(k)).ToList())
        {
            ForgetStoreVersion(key);
        }

        _storePosition = Math.Max(_storePosition, snapshot.Version);
    }

    /// <summary>Makes the runtime endpoint under <paramref name="key"/> match the store: <paramref name="spec"/>, or none when null.</summary>
    private async Task ApplyStoredLockedAsync(EndpointKey key, EndpointSpec? spec, string? unreadable, CancellationToken cancellationToken)
    {
        var change = new RegistryChange(EndpointSource.Runtime, StoreActor, FromStore: true);
        _store.TryGet(key, out var existing);
        if (existing is { Source: EndpointSource.Configuration })
        {
            if (spec is not null)
            {
                Reject(RegistryChangeCounter.Add, key.ToString(), change, RegistryChangeCounter.Conflict, "the key belongs to an endpoint from configuration, which wins on this replica");
            }

            return;
        }

        try
        {
            if (unreadable is not null)
            {
                Reject(existing is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update, key.ToString(), change, RegistryChangeCounter.Invalid, $"the stored value is not an endpoint: {unreadable}");
            }
            else if (spec is null)
            {
                if (existing is not null)
                {
                    await RemoveLockedAsync(key, change, cancellationToken);
                }
            }
            else if (existing is null)
            {
                await AddLockedAsync(spec, change, cancellationToken);
            }
            else if (!existing.Spec.Equals(spec))
            {
                await UpdateLockedAsync(key, spec, change, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is EndpointValidationException or EndpointConflictException)
        {
            // Rejected here exactly as a local change would be (audited by the operation); the store keeps its value.
        }
    }

    /// <summary>Deletes whose echo has arrived can no longer be followed by an older change: forget them, so the map stays small.</summary>
    private void ForgetEchoedDeletes()
    {
        if (_storeDeletes == 0)
        {
            return;
        }

        foreach (var (key, version) in _storeVersions)
        {
            if (version.Deleted && version.Version <= _storePosition)
            {
                ForgetStoreVersion(key);
            }
        }
    }

    private void SetStoreVersion(EndpointKey key, long version, bool deleted)
    {
        ForgetStoreVersion(key);
        _storeVersions[key] = new StoreVersion(version, deleted);
        _storeDeletes += deleted ? 1 : 0;
    }

    private void ForgetStoreVersion(EndpointKey key)
    {
        if (_storeVersions.Remove(key, out var old) && old.Deleted)
        {
            _storeDeletes--;
        }
    }

    private async Task<bool> AddLockedAsync(EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        var keyText = SafeKey(spec);
        var settings = ValidateOrThrow(spec, RegistryChangeCounter.Add, keyText, change);
        if (_store.TryGet(spec.Key, out var existing))
        {
            if (existing.Spec.Equals(spec))
            {
                Audit(RegistryChangeCounter.Add, keyText, change, RegistryChangeCounter.Unchanged);
                return false;
            }

            Reject(RegistryChangeCounter.Add, keyText, change, RegistryChangeCounter.Conflict, "registered with a different spec");
            throw new EndpointConflictException(spec.Key);
        }

        var persist = Persists(change);
        if (persist)
        {
            StoredJsonOrThrow(spec, RegistryChangeCounter.Add, keyText, change);
        }

        var (entry, ownsChecker) = CreateEntry(spec, settings, change, RegistryChangeCounter.Add, keyText, Restricted(change));
        if (persist)
        {
            var version = await WriteOrThrowAsync(entry, ownsChecker, RegistryChangeCounter.Add, keyText, change, () => EndpointStore!.AddAsync(spec, cancellationToken));
            SetStoreVersion(spec.Key, version, deleted: false);
        }

        _store.Set(entry);
        _scheduler.Schedule(entry, ownsChecker);
        Audit(RegistryChangeCounter.Add, keyText, change, RegistryChangeCounter.Success);
        return true;
    }

    private async Task<bool> RemoveLockedAsync(EndpointKey key, RegistryChange change, CancellationToken cancellationToken)
    {
        var found = _store.TryGet(key, out var entry);
        if (Persists(change) && (!found || entry.Source == EndpointSource.Runtime))
        {
            // Deleted from the store even when this replica does not run it (it may have refused it), so it goes everywhere.
            var version = await WriteOrThrowAsync(null, false, RegistryChangeCounter.Remove, key.ToString(), change, () => EndpointStore!.RemoveAsync(key, cancellationToken));
            SetStoreVersion(key, version, deleted: true);
        }

        if (!found)
        {
            Audit(RegistryChangeCounter.Remove, key.ToString(), change, RegistryChangeCounter.Unchanged);
            return false;
        }

        // Out of the store first, so no scrape from now on sees it; then the loop, whose in-flight check
        // can no longer write because the entry is marked removed.
        _store.Remove(entry);
        await _scheduler.UnscheduleAsync(entry);
        Audit(RegistryChangeCounter.Remove, entry.KeyText, change, RegistryChangeCounter.Success);
        return true;
    }

    private async Task UpdateLockedAsync(EndpointKey oldKey, EndpointSpec spec, RegistryChange change, CancellationToken cancellationToken)
    {
        var keyText = oldKey.ToString();
        if (!_store.TryGet(oldKey, out var old))
        {
            Reject(RegistryChangeCounter.Update, keyText, change, RegistryChangeCounter.NotFound, "not registered");
            throw new EndpointNotFoundException(oldKey);
        }

        var settings = ValidateOrThrow(spec, RegistryChangeCounter.Update, keyText, change);
        if (spec.Key != oldKey && _store.TryGet(spec.Key, out _))
        {
            Reject(RegistryChangeCounter.Update, keyText, change, RegistryChangeCounter.Conflict, $"new key {spec.Key} belongs to another endpoint");
            throw new EndpointConflictException(spec.Key);
        }

        if (spec.Key == oldKey && old.Spec.Equals(spec))
        {
            Audit(RegistryChangeCounter.Update, keyText, change, RegistryChangeCounter.Unchanged);
            return;
        }

        var persist = Persists(change with { Source = old.Source });
        if (persist)
        {
            StoredJsonOrThrow(spec, RegistryChangeCounter.Update, keyText, change);
        }

        // Blue-green: the new endpoint exists and runs before the old one stops. If creating it (or storing it) fails,
        // nothing has been touched yet.
        var (entry, ownsChecker) = CreateEntry(spec, settings, change with { Source = old.Source }, RegistryChangeCounter.Update, keyText, Restricted(change));
        if (persist)
        {
            var expected = _storeVersions.TryGetValue(oldKey, out var known) && !known.Deleted ? known.Version : 0;
            var version = await WriteOrThrowAsync(entry, ownsChecker, RegistryChangeCounter.Update, keyText, change, () => EndpointStore!.ReplaceAsync(oldKey, expected, spec, cancellationToken));
            if (spec.Key != oldKey)
            {
                SetStoreVersion(oldKey, version, deleted: true);
            }

            SetStoreVersion(spec.Key, version, deleted: false);
        }

        if (spec.Key == oldKey)
        {
            entry.InheritReadiness(old);
        }

        _store.Set(entry);
        _scheduler.Schedule(entry, ownsChecker);
        if (spec.Key == oldKey)
        {
            old.MarkRemoved();
        }
        else
        {
            _store.Remove(old);
        }

        await _scheduler.UnscheduleAsync(old);
        Audit(RegistryChangeCounter.Update, $"{keyText} -> {spec.Key}", change, RegistryChangeCounter.Success);
    }

    /// <summary>Changes made at runtime are held to the host policy, also when they update an endpoint from configuration.</summary>
    private static bool Restricted(RegistryChange change) => change.Source == EndpointSource.Runtime;

    /// <summary>Local changes of runtime endpoints go to the store; configuration endpoints and the store's own feed do not.</summary>
    private bool Persists(RegistryChange change) => EndpointStore is not null && change.Source == EndpointSource.Runtime && !change.FromStore;

    private void StoredJsonOrThrow(EndpointSpec spec, string operation, string keyText, RegistryChange change)
    {
        try
        {
            _ = EndpointSpecJson.ToStoredJson(spec);
        }
        catch (EndpointValidationException exception)
        {
            Reject(operation, keyText, change, RegistryChangeCounter.Invalid, string.Join("; ", exception.Errors));
            throw;
        }
    }

    /// <summary>Writes to the store before anything changes locally; on failure disposes the unused checker and rethrows.</summary>
    private async Task<long> WriteOrThrowAsync(
        EndpointEntry? created, bool ownsChecker, string operation, string keyText, RegistryChange change, Func<Task<long>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (created is not null)
            {
                await DisposeCheckerAsync(created, ownsChecker);
            }

            var result = exception switch
            {
                RegistryStoreUnavailableException => RegistryChangeCounter.Unavailable,
                EndpointConflictException => RegistryChangeCounter.Conflict,
                _ => RegistryChangeCounter.Failed,
            };
            Reject(operation, keyText, change, result, exception.Message);
            if (exception is RegistryStoreUnavailableException or EndpointConflictException)
            {
                throw;
            }

            throw new RegistryStoreUnavailableException($"registry store unavailable: {EndpointStore!.Description}: {exception.Message}", exception);
        }
        catch (OperationCanceledException)
        {
            if (created is not null)
            {
                await DisposeCheckerAsync(created, ownsChecker);
            }

            throw;
        }
    }

    /// <summary>
    /// Makes the endpoints that came from configuration exactly <paramref name="specs"/>, all or nothing: every spec is
    /// validated and every new checker created before anything changes; then new and changed endpoints start
    /// (blue-green: a replacement runs before the endpoint it replaces stops) and the ones no longer configured stop.
    /// Endpoints added at runtime are never touched; a configured key that belongs to one is an error.
    /// </summary>
    /// <exception cref="EndpointValidationException">Something is invalid; nothing changed. Fields are configuration keys.</exception>
    public async Task<ConfigurationDiff> ApplyConfigurationAsync(IReadOnlyList<EndpointSpec> specs, RegistryChange change, CancellationToken cancellationToken)
    {
        await _mutation.WaitAsync(cancellationToken);
        try
        {
            var errors = new List<EndpointValidationError>();
            var wanted = new Dictionary<EndpointKey, (EndpointSpec Spec, CheckSettings Settings)>();
            foreach (var spec in specs.Select(s => s.Detached()))
            {
                var prefix = $"{DependencyHealthOptions.SectionName}:Dependencies:{spec.Dependency}";
                var local = new List<EndpointValidationError>();
                var settings = Validate(spec, local);
                errors.AddRange(local.Select(e => e with { Field = $"{prefix}:{e.Field}" }));
                if (_store.TryGet(spec.Key, out var existing) && existing.Source == EndpointSource.Runtime)
                {
                    errors.Add(new(prefix, $"endpoint {spec.Key} was added at runtime: remove it through the registry before declaring it in configuration"));
                }

                wanted[spec.Key] = (spec, settings);
            }

            if (errors.Count > 0)
            {
                throw new EndpointValidationException(errors);
            }

            var current = _store.Sorted().Where(e => e.Source == EndpointSource.Configuration && !e.IsRemoved).ToList();
            var removed = current.Where(e => !wanted.ContainsKey(e.Key)).ToList();
            var starting = new List<(EndpointSpec Spec, CheckSettings Settings, EndpointEntry? Old)>();
            foreach (var (key, (spec, settings)) in wanted.OrderBy(w => w.Key))
            {
                var old = current.Find(e => e.Key == key);
                if (old is null || !old.Spec.Equals(spec))
                {
                    starting.Add((spec, settings, old));
                }
            }

            // Every checker is created before anything changes, so a factory that throws leaves everything as it was.
            var created = new List<(EndpointEntry Entry, bool OwnsChecker, EndpointEntry? Old)>(starting.Count);
            try
            {
                foreach (var (spec, settings, old) in starting)
                {
                    var operation = old is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update;

                    // A startup endpoint replaced before its first check still holds readiness until the replacement's.
                    var gates = old is { GatesReadiness: true } && old.ReadinessHealth == HealthState.Unknown;
                    try
                    {
                        var (entry, ownsChecker) = CreateEntry(spec, settings, change with { GatesReadiness = gates }, operation, spec.Key.ToString(), restricted: false);
                        created.Add((entry, ownsChecker, old));
                    }
                    catch (EndpointValidationException exception)
                    {
                        throw new EndpointValidationException(exception.Errors
                            .Select(e => e with { Field = $"{DependencyHealthOptions.SectionName}:Dependencies:{spec.Dependency}:{e.Field}" })
                            .ToList());
                    }
                }
            }
            catch
            {
                foreach (var (entry, ownsChecker, _) in created)
                {
                    await DisposeCheckerAsync(entry, ownsChecker);
                }

                throw;
            }

            foreach (var (entry, ownsChecker, old) in created)
            {
                if (old is not null)
                {
                    entry.InheritReadiness(old);
                }

                // The replacement takes the key in one step, so readiness never sees the key missing.
                _store.Set(entry);
                _scheduler.Schedule(entry, ownsChecker);
                old?.MarkRemoved();
            }

            foreach (var entry in removed)
            {
                _store.Remove(entry);
            }

            foreach (var old in created.Select(c => c.Old).OfType<EndpointEntry>().Concat(removed))
            {
                await _scheduler.UnscheduleAsync(old);
            }

            foreach (var (entry, _, old) in created)
            {
                Audit(old is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update, entry.KeyText, change, RegistryChangeCounter.Success);
            }

            foreach (var entry in removed)
            {
                Audit(RegistryChangeCounter.Remove, entry.KeyText, change, RegistryChangeCounter.Success);
            }

            return new ConfigurationDiff(
                created.Where(c => c.Old is null).Select(c => c.Entry.Key).ToList(),
                removed.Select(e => e.Key).ToList(),
                created.Where(c => c.Old is not null).Select(c => c.Entry.Key).ToList());
        }
        finally
        {
            _mutation.Release();
        }
    }

    /// <summary>The effective settings of a spec (nulls inherited from the global options).</summary>
    public CheckSettings Effective(EndpointSpec spec) => EndpointSpecValidator.Validate(spec, _options, []);

    /// <summary>Validates a spec as the registry would, without changing anything.</summary>
    public CheckSettings Validate(EndpointSpec spec, List<EndpointValidationError> errors)
    {
        var settings = EndpointSpecValidator.Validate(spec, _options, errors);
        _catalog.Validate(spec, errors);
        return settings;
    }

    public void Dispose() => _mutation.Dispose();

    /// <summary>The actor of changes that arrive from the store's feed.</summary>
    public const string StoreActor = "store";

    /// <summary>The last version of a key this replica wrote or applied; deletes are kept until their echo arrives.</summary>
    private readonly record struct StoreVersion(long Version, bool Deleted);

    private CheckSettings ValidateOrThrow(EndpointSpec spec, string operation, string keyText, RegistryChange change)
    {
        var errors = new List<EndpointValidationError>();
        var settings = Validate(spec, errors);
        if (change.Source == EndpointSource.Runtime)
        {
            _hostPolicy.Validate(spec, errors);
        }

        if (errors.Count > 0)
        {
            Reject(operation, keyText, change, RegistryChangeCounter.Invalid, string.Join("; ", errors));
            throw new EndpointValidationException(errors);
        }

        return settings;
    }

    private (EndpointEntry Entry, bool OwnsChecker) CreateEntry(
        EndpointSpec spec, CheckSettings settings, RegistryChange change, string operation, string keyText, bool restricted)
    {
        IDependencyChecker checker;
        try
        {
            // A runtime change's checker follows redirects and connects only where the host policy allows.
            checker = _catalog.Create(spec, _services, restricted && !_hostPolicy.IsEmpty ? _hostPolicy : null);
        }
        catch (EndpointValidationException exception)
        {
            Reject(operation, keyText, change, RegistryChangeCounter.Invalid, string.Join("; ", exception.Errors));
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var reason = SecretScrubber.For(spec).Scrub(exception.Message);
            Reject(operation, keyText, change, RegistryChangeCounter.Failed, reason);
            throw new EndpointValidationException([new EndpointValidationError("Type", $"the checker could not be created: {reason}")]);
        }

        var labels = SeriesLabels.Create(_options.Name!, _options.Group!, spec);
        var entry = new EndpointEntry(
            spec,
            settings,
            change.Source,
            change.GatesReadiness,
            checker,
            labels,
            Interlocked.Increment(ref _generation),
            _options.History.Size,
            _options.History.FlapThreshold);
        return (entry, spec.CheckerFactory is null);
    }

    private static async ValueTask DisposeCheckerAsync(EndpointEntry entry, bool ownsChecker)
    {
        switch (ownsChecker ? entry.Checker : null)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private static RegisteredEndpoint ToRegistered(EndpointEntry entry) => new(entry.Spec, entry.Settings, entry.Source);

    private static string SafeKey(EndpointSpec spec) =>
        $"{spec.Dependency}:{spec.Host}:{spec.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    // Audit entries are written before the change is counted, so whoever sees the counter move can find the entry.
    private void Audit(string operation, string endpoint, RegistryChange change, string result)
    {
        DependencyHealthLog.RegistryChanged(_logger, operation, endpoint, change.Actor ?? "application", change.SourceName, result);
        _changes.Increment(operation, result);
    }

    private void Reject(string operation, string endpoint, RegistryChange change, string result, string reason)
    {
        DependencyHealthLog.RegistryChangeRejected(_logger, operation, endpoint, change.Actor ?? "application", change.SourceName, result, reason);
        _changes.Increment(operation, result);
    }
}
