namespace DepHealth.AspNetCore;

/// <summary>
/// Told of every health transition: an endpoint's first healthy result, turning unhealthy, recovering, being removed.
/// Register with <c>AddDependencyHealthObserver&lt;T&gt;()</c>. Each observer has its own queue, read by one task, so it
/// sees the changes in order, one call at a time, off the check loops: a slow observer delays only itself, and when it
/// falls 1024 changes behind the oldest is dropped (logged, event 1008). An exception is logged (event 1007) and the
/// next change is still delivered.
/// </summary>
public interface IDependencyHealthObserver
{
    /// <summary>Handles one change.</summary>
    /// <param name="change">The transition and the endpoint's state after it.</param>
    /// <param name="cancellationToken">Cancelled when the application shuts down.</param>
    Task OnHealthChangedAsync(EndpointHealthChange change, CancellationToken cancellationToken);
}
