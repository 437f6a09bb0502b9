namespace DepHealth.AspNetCore;

/// <summary>An endpoint as the registry holds it.</summary>
/// <param name="Spec">The endpoint as it was registered.</param>
/// <param name="Settings">The effective check settings.</param>
/// <param name="Source">Where the endpoint came from.</param>
public sealed record RegisteredEndpoint(EndpointSpec Spec, CheckSettings Settings, EndpointSource Source);
