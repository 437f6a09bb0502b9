using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DepHealth.AspNetCore.Tests.Checks.HealthChecks.HealthCheckRun;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary><c>AddHealthCheckRegistration</c> runs a check registered with <c>AddHealthChecks()</c>, found by its name.</summary>
[Trait("Category", "unit")]
public sealed class HealthCheckRegistrationTests
{
    [Fact]
    public async Task Registered_check_runs_with_its_own_registration_in_the_context()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness(
            b => b.AddHealthCheckRegistration(Dependency, "orders-db", "postgres", Host, Port, critical: true),
            services => services.AddHealthChecks().AddCheck("orders-db", check, HealthStatus.Degraded, ["db"], TimeSpan.FromSeconds(3)));
        await harness.StartAsync();

        var (context, _) = await check.Called;

        var registration = context.Registration;
        Assert.Equal(("orders-db", HealthStatus.Degraded, TimeSpan.FromSeconds(3)), (registration.Name, registration.FailureStatus, registration.Timeout));
        Assert.Equal(["db"], registration.Tags);
        check.Return(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Registered_check_result_is_recorded_for_the_dependency()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness(
            b => b.AddHealthCheckRegistration(Dependency, "cache", "redis", Host, Port, critical: false),
            services => services.AddHealthChecks().AddCheck("cache", check));

        var state = await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Unhealthy()));

        Assert.Equal("unhealthy", state.Detail);
    }

    [Fact]
    public async Task Registration_name_is_matched_ignoring_case_as_health_check_service_does()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness(
            b => b.AddHealthCheckRegistration(Dependency, "orders-db", "postgres", Host, Port, critical: true),
            services => services.AddHealthChecks().AddCheck("Orders-DB", check));

        var state = await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Healthy()));

        Assert.Equal("ok", state.Detail);
    }

    [Fact]
    public void Unknown_registration_name_fails_startup_naming_the_field_and_the_registered_names()
    {
        var failures = StartupValidation.Failures(b =>
        {
            b.Services.AddHealthChecks().AddCheck("cache", () => HealthCheckResult.Healthy());
            b.AddHealthCheckRegistration("db", "orders-db", "postgres", "db.local", 5432, critical: true);
        });

        var failure = Assert.Single(failures);
        Assert.StartsWith("DependencyHealth:Dependencies:db:HealthCheckRegistration: no health check named 'orders-db' is registered", failure, StringComparison.Ordinal);
        Assert.EndsWith("(registered: cache)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DependencyHealthServiceCollectionExtensions.LivenessCheckName)]
    [InlineData(DependencyHealthServiceCollectionExtensions.ReadinessCheckName)]
    public void Package_probe_check_cannot_be_a_dependency(string probe)
    {
        var failures = StartupValidation.Failures(b => b.AddHealthCheckRegistration("db", probe, "postgres", "db.local", 5432, critical: true));

        Assert.Equal([$"DependencyHealth:Dependencies:db:HealthCheckRegistration: '{probe}' is this package's own probe check: name one of the application's health checks"], failures);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_registration_name_is_refused_at_the_call(string registrationName)
    {
        var builder = new ServiceCollection().AddDependencyHealth();

        var error = Assert.ThrowsAny<ArgumentException>(() => builder.AddHealthCheckRegistration("db", registrationName, "postgres", "db.local", 5432, critical: true));

        Assert.Equal("registrationName", error.ParamName);
    }
}
