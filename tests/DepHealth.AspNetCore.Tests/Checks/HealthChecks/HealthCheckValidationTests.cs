using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>The labels a health check dependency declares are validated at startup like any dependency's.</summary>
[Trait("Category", "unit")]
public sealed class HealthCheckValidationTests
{
    private static readonly IHealthCheck Check = new DelegateHealthCheck();

    [Theory]
    [InlineData("db", "Sql Server", "db.local", 5432, "DependencyHealth:Dependencies:db:Type: 'Sql Server' is not a type: must be one of http, grpc, tcp, postgres, mysql, redis, amqp, kafka, ldap, or a type of your own served by a registered checker factory (a lower-case letter, then lower-case letters, digits or '_', at most 32)")]
    [InlineData("db", "postgres", "db.local", 0, "DependencyHealth:Dependencies:db:Port: 0 is out of range: must be 1 to 65535")]
    [InlineData("Orders_DB", "postgres", "db.local", 5432, "DependencyHealth:Dependencies:Orders_DB:Dependency: 'Orders_DB' must match [a-z][a-z0-9-]* and be 1 to 63 characters")]
    public void Invalid_label_fails_startup_naming_the_field_and_the_rule(string name, string type, string host, int port, string expected)
    {
        var failures = StartupValidation.Failures(b => b.AddHealthCheck(name, type, host, port, critical: true, _ => Check));

        Assert.Contains(expected, failures);
    }

    [Fact]
    public void Empty_host_fails_startup_naming_the_host()
    {
        var failures = StartupValidation.Failures(b => b.AddHealthCheck("db", "postgres", "", 5432, critical: true, _ => Check));

        Assert.Contains(failures, f => f.StartsWith("DependencyHealth:Dependencies:db:Host: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_health_check_dependency_passes_startup_validation() =>
        Assert.Empty(StartupValidation.Failures(b => b.AddHealthCheck("db", "postgres", "db.local", 5432, critical: true, _ => Check)));

    [Fact]
    public void Null_factory_is_refused_at_the_call()
    {
        var builder = new ServiceCollection().AddDependencyHealth();

        var error = Assert.Throws<ArgumentNullException>(() => builder.AddHealthCheck("db", "postgres", "db.local", 5432, critical: true, null!));

        Assert.Equal("factory", error.ParamName);
    }

    private sealed class DelegateHealthCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy());
    }
}
