namespace DepHealth.AspNetCore.Api;

/// <summary>Marks the endpoints of the registry HTTP API, so that its failed-authorization throttle acts on them only.</summary>
internal sealed class RegistryApiEndpointMetadata
{
    public static readonly RegistryApiEndpointMetadata Instance = new();

    private RegistryApiEndpointMetadata()
    {
    }
}
