namespace DepHealth.AspNetCore.Registry;

/// <summary>Every stored endpoint with its version, and the store's version they were read at.</summary>
/// <param name="Endpoints">The stored endpoints.</param>
/// <param name="Version">The store's version they were read at.</param>
public sealed record EndpointStoreSnapshot(IReadOnlyList<StoredEndpoint> Endpoints, long Version);

/// <summary>A stored endpoint and the version of its last write.</summary>
/// <param name="Spec">The endpoint.</param>
/// <param name="Version">The version of its last write.</param>
public sealed record StoredEndpoint(EndpointSpec Spec, long Version);
