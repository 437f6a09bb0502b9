using DepHealth.AspNetCore.Monitoring;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Makes the endpoints that came from configuration exactly the configured specs, all or nothing: every spec is
/// validated and every new checker created before anything changes; then new and changed endpoints start (blue-green:
/// a replacement runs before the endpoint it replaces stops) and the ones no longer configured stop. Endpoints added at
/// runtime are never touched; a configured key that belongs to one is an error. Callers hold the registry's lock.
/// </summary>
internal sealed class ConfigurationReconciler(
    HealthStateStore store, CheckScheduler scheduler, EndpointEntryFactory entries, RegistryAudit audit, HealthChangeNotifier notifier)
{
    /// <exception cref="EndpointValidationException">Something is invalid; nothing changed. Fields are configuration keys.</exception>
    public async Task<ConfigurationDiff> ApplyAsync(IReadOnlyList<EndpointSpec> specs, RegistryChange change, CancellationToken cancellationToken)
    {
        var (wanted, settings) = ValidateOrThrow(specs);
        var current = store.Sorted().Where(e => e.Source == EndpointSource.Configuration && !e.IsRemoved).ToDictionary(e => e.Key);
        var diff = ConfigurationDiff.Between(current.Values.Select(e => e.Spec), wanted);
        var starting = diff.Added.Concat(diff.Updated).Order().ToList();
        var created = await CreateAllAsync(starting, wanted, settings, current, change);
        var removed = diff.Removed.Select(k => current[k]).ToList();

        foreach (var (entry, ownsChecker, old) in created)
        {
            if (old is not null)
            {
                entry.InheritReadiness(old);
            }

            // The replacement takes the key in one step, so readiness never sees the key missing.
            store.Set(entry);
            scheduler.Schedule(entry, ownsChecker);
            old?.MarkRemoved();
        }

        foreach (var entry in removed)
        {
            store.Remove(entry);
        }

        foreach (var old in created.Select(c => c.Old).OfType<EndpointEntry>().Concat(removed))
        {
            await scheduler.UnscheduleAsync(old);
        }

        foreach (var (entry, _, old) in created)
        {
            audit.Changed(new RegistryOperation(old is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update, entry.KeyText, change), RegistryChangeCounter.Success);
        }

        foreach (var entry in removed)
        {
            notifier.Removed(entry);
            audit.Changed(new RegistryOperation(RegistryChangeCounter.Remove, entry.KeyText, change), RegistryChangeCounter.Success);
        }

        return diff;
    }

    private (Dictionary<EndpointKey, EndpointSpec> Wanted, Dictionary<EndpointKey, CheckSettings> Settings) ValidateOrThrow(IReadOnlyList<EndpointSpec> specs)
    {
        var errors = new List<EndpointValidationError>();
        var wanted = new Dictionary<EndpointKey, EndpointSpec>();
        var settings = new Dictionary<EndpointKey, CheckSettings>();
        foreach (var spec in specs.Select(s => s.Detached()))
        {
            var local = new List<EndpointValidationError>();
            settings[spec.Key] = entries.Validate(spec, local);
            errors.AddRange(local.Select(e => e with { Field = $"{Prefix(spec)}:{e.Field}" }));
            if (store.TryGet(spec.Key, out var existing) && existing.Source == EndpointSource.Runtime)
            {
                errors.Add(new(Prefix(spec), $"endpoint {spec.Key} was added at runtime: remove it through the registry before declaring it in configuration"));
            }

            wanted[spec.Key] = spec;
        }

        if (errors.Count > 0)
        {
            throw new EndpointValidationException(errors);
        }

        return (wanted, settings);
    }

    /// <summary>Creates every new checker before anything changes, so a factory that throws leaves everything as it was.</summary>
    private async Task<List<(EndpointEntry Entry, bool OwnsChecker, EndpointEntry? Old)>> CreateAllAsync(
        List<EndpointKey> starting,
        Dictionary<EndpointKey, EndpointSpec> wanted,
        Dictionary<EndpointKey, CheckSettings> settings,
        Dictionary<EndpointKey, EndpointEntry> current,
        RegistryChange change)
    {
        var created = new List<(EndpointEntry Entry, bool OwnsChecker, EndpointEntry? Old)>(starting.Count);
        try
        {
            foreach (var key in starting)
            {
                var spec = wanted[key];
                var old = current.GetValueOrDefault(key);

                // A startup endpoint replaced before its first check still holds readiness until the replacement's.
                var gates = old is { GatesReadiness: true } && old.ReadinessHealth == HealthState.Unknown;
                var operation = new RegistryOperation(old is null ? RegistryChangeCounter.Add : RegistryChangeCounter.Update, key.ToString(), change with { GatesReadiness = gates });
                try
                {
                    var (entry, ownsChecker) = entries.Create(spec, settings[key], operation, restricted: false);
                    created.Add((entry, ownsChecker, old));
                }
                catch (EndpointValidationException exception)
                {
                    throw new EndpointValidationException(exception.Errors.Select(e => e with { Field = $"{Prefix(spec)}:{e.Field}" }).ToList());
                }
            }
        }
        catch
        {
            foreach (var (entry, ownsChecker, _) in created)
            {
                await EndpointEntryFactory.DisposeUnusedAsync(entry, ownsChecker);
            }

            throw;
        }

        return created;
    }

    private static string Prefix(EndpointSpec spec) => $"{DependencyHealthOptions.SectionName}:Dependencies:{spec.Dependency}";
}
