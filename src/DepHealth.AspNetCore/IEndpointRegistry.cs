namespace DepHealth.AspNetCore;

/// <summary>
/// Adds, removes and updates monitored endpoints while the application runs. All members are thread-safe;
/// after any sequence of calls the running check loops are exactly the registered endpoints.
/// </summary>
public interface IEndpointRegistry
{
    /// <summary>
    /// Registers an endpoint and starts checking it at once. Adding an identical spec again does nothing.
    /// </summary>
    /// <param name="spec">The endpoint to add; settings left null inherit the global options.</param>
    /// <param name="cancellationToken">Cancels waiting for the registry.</param>
    /// <returns><see langword="true"/> when added, <see langword="false"/> when an identical endpoint exists.</returns>
    /// <exception cref="EndpointValidationException">The spec is invalid; nothing changed.</exception>
    /// <exception cref="EndpointConflictException">The key exists with a different spec; nothing changed.</exception>
    Task<bool> AddAsync(EndpointSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Stops checking an endpoint and removes all of its metric series. Removing a missing endpoint does nothing.</summary>
    /// <param name="dependency">The dependency name.</param>
    /// <param name="host">The host.</param>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels waiting for the registry.</param>
    /// <returns><see langword="true"/> when removed, <see langword="false"/> when it did not exist.</returns>
    Task<bool> RemoveAsync(string dependency, string host, int port, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an endpoint blue-green: the new one is validated and started before the old one is stopped
    /// and its series removed. When the new one cannot be created the old one keeps running unchanged.
    /// </summary>
    /// <param name="dependency">The dependency name of the endpoint to replace.</param>
    /// <param name="oldHost">The host of the endpoint to replace.</param>
    /// <param name="oldPort">The port of the endpoint to replace.</param>
    /// <param name="spec">The new endpoint.</param>
    /// <param name="cancellationToken">Cancels waiting for the registry.</param>
    /// <exception cref="EndpointNotFoundException">No endpoint has that key; nothing changed.</exception>
    /// <exception cref="EndpointValidationException">The new spec is invalid; nothing changed.</exception>
    /// <exception cref="EndpointConflictException">The new key belongs to another endpoint; nothing changed.</exception>
    Task UpdateAsync(string dependency, string oldHost, int oldPort, EndpointSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Lists every registered endpoint, ordered by dependency, host and port.</summary>
    IReadOnlyList<RegisteredEndpoint> GetAll();

    /// <summary>Finds a registered endpoint.</summary>
    /// <param name="key">The endpoint key.</param>
    /// <param name="endpoint">The endpoint, when found.</param>
    bool TryGet(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredEndpoint? endpoint);
}
