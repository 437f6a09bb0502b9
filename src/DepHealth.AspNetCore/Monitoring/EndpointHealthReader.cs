using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Monitoring;

/// <summary>Copies an entry's state into the public <see cref="EndpointHealth"/>.</summary>
internal static class EndpointHealthReader
{
    public static EndpointHealth Read(EndpointEntry entry)
    {
        var state = entry.Read();
        return new EndpointHealth
        {
            Spec = entry.Spec,
            State = state.Health switch
            {
                HealthState.Healthy => EndpointHealthState.Healthy,
                HealthState.Unhealthy => EndpointHealthState.Unhealthy,
                _ => EndpointHealthState.Unknown,
            },
            Status = state.Status,
            Detail = state.Detail,
            Latency = TimeSpan.FromSeconds(state.LatencySeconds),
            LastCheckedAt = state.LastCheckedAt,
            IsFlapping = state.Flapping,
        };
    }
}
