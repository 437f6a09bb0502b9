using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Checks.HealthChecks;

/// <summary>Fails startup when a dependency names a health check registration the application does not have.</summary>
internal sealed class HealthCheckRegistrationValidator(string dependency, string registration, IOptions<HealthCheckServiceOptions> healthChecks)
    : IValidateOptions<DependencyHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, DependencyHealthOptions options)
    {
        if (!options.Dependencies.ContainsKey(dependency) || HealthCheckRegistrations.Find(healthChecks.Value, registration, out var error) is not null)
        {
            return ValidateOptionsResult.Success;
        }

        var field = $"{DependencyHealthOptions.SectionName}:Dependencies:{dependency}:{HealthCheckRegistrations.Field}";
        return ValidateOptionsResult.Fail(new EndpointValidationError(field, error!).ToString());
    }
}
