namespace DepHealth.AspNetCore.Registry;

/// <summary>What a configuration reload changed in the registry.</summary>
/// <param name="Added">Endpoints started.</param>
/// <param name="Removed">Endpoints stopped, their series removed.</param>
/// <param name="Updated">Endpoints replaced blue-green under the same key.</param>
internal sealed record ConfigurationDiff(IReadOnlyList<EndpointKey> Added, IReadOnlyList<EndpointKey> Removed, IReadOnlyList<EndpointKey> Updated)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Updated.Count == 0;
}
