namespace DepHealth.AspNetCore.Registry;

/// <summary>Who asks for a registry change and where the endpoint comes from, for audit and readiness.</summary>
/// <param name="Source">Configuration or runtime.</param>
/// <param name="Actor">The user or component that asked; null for application code.</param>
/// <param name="GatesReadiness">Whether readiness waits for the endpoint's first check (startup configuration only).</param>
/// <param name="FromStore">The change arrived from the registry store (another replica, or the stored state at startup): not written back.</param>
internal sealed record RegistryChange(EndpointSource Source, string? Actor, bool GatesReadiness = false, bool FromStore = false)
{
    public string SourceName => Source == EndpointSource.Configuration ? "configuration" : "runtime";
}
