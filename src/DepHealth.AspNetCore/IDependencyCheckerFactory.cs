namespace DepHealth.AspNetCore;

/// <summary>
/// Creates checkers for one dependency <see cref="Type"/> from an <see cref="EndpointSpec"/>.
/// Satellite packages register one per type so that configuration alone can monitor it.
/// </summary>
public interface IDependencyCheckerFactory
{
    /// <summary>The dependency type this factory serves, for example <c>postgres</c>.</summary>
    string Type { get; }

    /// <summary>Adds an error for every checker option of <paramref name="endpoint"/> that is invalid.</summary>
    /// <param name="endpoint">The endpoint to validate.</param>
    /// <param name="errors">Receives one error per invalid option.</param>
    void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors);

    /// <summary>Creates the checker for a validated endpoint.</summary>
    /// <param name="endpoint">The endpoint to check.</param>
    /// <param name="services">The application's services, for pool-mode clients.</param>
    IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services);
}
