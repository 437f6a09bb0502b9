using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Checks.HealthChecks;

/// <summary>Finds the application's health check registrations (<c>services.AddHealthChecks().Add…</c>) by name.</summary>
internal static class HealthCheckRegistrations
{
    public const string Field = "HealthCheckRegistration";

    /// <summary>The registration named <paramref name="name"/>, or the rule it breaks.</summary>
    public static HealthCheckRegistration? Find(HealthCheckServiceOptions options, string name, out string? error)
    {
        error = null;
        if (name is DependencyHealthServiceCollectionExtensions.LivenessCheckName or DependencyHealthServiceCollectionExtensions.ReadinessCheckName)
        {
            error = $"'{name}' is this package's own probe check: name one of the application's health checks";
            return null;
        }

        // HealthCheckService refuses names that differ only in case, so this finds at most one.
        var registration = options.Registrations.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        if (registration is null)
        {
            var known = options.Registrations
                .Select(r => r.Name)
                .Where(n => n is not (DependencyHealthServiceCollectionExtensions.LivenessCheckName or DependencyHealthServiceCollectionExtensions.ReadinessCheckName))
                .ToList();
            error = $"no health check named '{name}' is registered: register it with services.AddHealthChecks().Add…(name: \"{name}\")"
                + (known.Count == 0 ? " (none is registered)" : $" (registered: {string.Join(", ", known)})");
        }

        return registration;
    }

    /// <summary>The registration named <paramref name="name"/>; a validation error naming the rule when there is none.</summary>
    /// <exception cref="EndpointValidationException">No such registration.</exception>
    public static HealthCheckRegistration Require(IServiceProvider services, string name) =>
        Find(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value, name, out var error)
        ?? throw new EndpointValidationException([new(Field, error!)]);
}
