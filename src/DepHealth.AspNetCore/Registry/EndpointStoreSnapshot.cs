namespace DepHealth.AspNetCore.Registry;

/// <summary>Every stored endpoint with its version, and the store's version they were read at.</summary>
internal sealed record EndpointStoreSnapshot(IReadOnlyList<StoredEndpoint> Endpoints, long Version);

/// <summary>A stored endpoint and the version of its last write.</summary>
internal sealed record StoredEndpoint(EndpointSpec Spec, long Version);
