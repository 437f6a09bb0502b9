using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Monitoring;

/// <summary>Reads the state store into public snapshots; readiness follows the same rule as the readiness probe.</summary>
internal sealed class DependencyHealthMonitor(HealthStateStore store) : IDependencyHealthMonitor
{
    public DependencyHealthReport GetSnapshot()
    {
        var entries = store.Sorted();
        var endpoints = new List<EndpointHealth>(entries.Length);
        var ready = true;
        foreach (var entry in entries)
        {
            var health = EndpointHealthReader.Read(entry);
            var effect = entry.ReadinessEffect;
            if (entry.IsRemoved)
            {
                continue;
            }

            endpoints.Add(health);
            ready &= effect is not (ReadinessEffect.Failing or ReadinessEffect.Pending);
        }

        return new DependencyHealthReport(endpoints, ready);
    }

    public bool TryGetEndpoint(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EndpointHealth? endpoint)
    {
        if (store.TryGet(key, out var entry))
        {
            endpoint = EndpointHealthReader.Read(entry);
            if (!entry.IsRemoved)
            {
                return true;
            }
        }

        endpoint = null;
        return false;
    }
}
