using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Checks.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers existing <see cref="IHealthCheck"/> implementations (your own, or packages such as
/// <c>AspNetCore.HealthChecks.*</c>) as scheduled dependencies with the contract's labels and metrics.
/// </summary>
/// <remarks>
/// Each check runs as <c>HealthCheckService</c> runs it: created in a new service scope, given a
/// <see cref="HealthCheckContext"/> with its registration, cancelled at the dependency's timeout. Healthy is <c>ok</c>;
/// Unhealthy and Degraded are failures, classified by their exception (a SQLSTATE of class 28 is <c>auth_error</c>),
/// else <c>unhealthy</c> for redis, amqp and ldap and <c>error</c> for the other types. A result's description and
/// data, and exception messages, are never logged or exported.
/// </remarks>
public static class HealthCheckDependencyHealthBuilderExtensions
{
    /// <summary>Adds a dependency checked by an <see cref="IHealthCheck"/> created per check, in its own scope, by <paramref name="factory"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name; also the registration name the check sees in its context.</param>
    /// <param name="type">The contract type reported in the <c>type</c> label, for example <c>postgres</c>.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="factory">Creates the health check from a scope's services.</param>
    /// <param name="configure">Sets further options (timeout, interval, thresholds, labels).</param>
    public static IDependencyHealthBuilder AddHealthCheck(
        this IDependencyHealthBuilder builder, string name, string type, string host, int port, bool critical,
        Func<IServiceProvider, IHealthCheck> factory, Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return builder.AddChecker(name, type, host, port, critical, services => new HealthCheckChecker(services, factory), configure);
    }

    /// <summary>
    /// Adds a dependency checked by the application's health check registered as <paramref name="registrationName"/>
    /// (for example with <c>services.AddHealthChecks().AddNpgSql(…, name: "db")</c>). Startup fails when there is none.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="registrationName">The health check's registration name (case-insensitive, as <c>HealthCheckService</c> has it).</param>
    /// <param name="type">The contract type reported in the <c>type</c> label, for example <c>postgres</c>.</param>
    /// <param name="host">The host reported in the <c>host</c> label.</param>
    /// <param name="port">The port reported in the <c>port</c> label.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets further options (timeout, interval, thresholds, labels).</param>
    public static IDependencyHealthBuilder AddHealthCheckRegistration(
        this IDependencyHealthBuilder builder, string name, string registrationName, string type, string host, int port, bool critical,
        Action<DependencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationName);
        builder.Services.AddSingleton<IValidateOptions<DependencyHealthOptions>>(services =>
            new HealthCheckRegistrationValidator(name, registrationName, services.GetRequiredService<IOptions<HealthCheckServiceOptions>>()));
        return builder.AddChecker(
            name, type, host, port, critical,
            services => new HealthCheckChecker(services, HealthCheckRegistrations.Require(services, registrationName)),
            configure);
    }
}
