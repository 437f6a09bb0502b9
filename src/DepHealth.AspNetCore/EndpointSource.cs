namespace DepHealth.AspNetCore;

/// <summary>Where a registered endpoint came from.</summary>
public enum EndpointSource
{
    /// <summary>Declared in options or configuration; replaced by configuration reloads.</summary>
    Configuration,

    /// <summary>Added at runtime through <see cref="IEndpointRegistry"/>; never touched by configuration reloads.</summary>
    Runtime,
}
