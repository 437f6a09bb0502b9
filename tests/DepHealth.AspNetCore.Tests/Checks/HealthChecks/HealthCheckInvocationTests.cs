using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DepHealth.AspNetCore.Tests.Checks.HealthChecks.HealthCheckRun;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>Each check is called as <c>HealthCheckService</c> calls it: a new scope, a context with its registration, the scheduler's token.</summary>
[Trait("Category", "unit")]
public sealed class HealthCheckInvocationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Factory_check_gets_a_registration_named_after_the_dependency_with_the_timeout()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("postgres", check);
        await harness.StartAsync();

        var (context, _) = await check.Called;

        Assert.Equal((Dependency, HealthStatus.Unhealthy, Timeout), (context.Registration.Name, context.Registration.FailureStatus, context.Registration.Timeout));
        Assert.Empty(context.Registration.Tags);
        check.Return(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Factory_check_timeout_in_its_registration_is_the_dependencys_own()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness(b => b.AddHealthCheck(Dependency, "postgres", Host, Port, critical: true, _ => check, d => d.Timeout = TimeSpan.FromSeconds(2)));
        await harness.StartAsync();

        var (context, _) = await check.Called;

        Assert.Equal(TimeSpan.FromSeconds(2), context.Registration.Timeout);
        check.Return(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Check_gets_a_token_that_the_timeout_cancels()
    {
        var check = new GatedHealthCheck(honoursCancellation: true);
        await using var harness = Harness("postgres", check);
        await harness.StartAsync();
        var (_, token) = await check.Called;

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync(Dependency, Host, Port, 1);

        Assert.True(token.IsCancellationRequested);
        Assert.Equal("timeout", harness.State(Dependency, Host, Port).Detail);
    }

    [Fact]
    public async Task Check_ignoring_its_token_is_a_timeout_at_the_timeout_and_abandoned_after_the_grace()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("postgres", check);
        await harness.StartAsync();
        await check.Called;

        harness.Time.Advance(Timeout);
        await harness.WaitForChecksAsync(Dependency, Host, Port, 1);

        var state = harness.State(Dependency, Host, Port);
        Assert.Equal(("timeout", Timeout.TotalSeconds), (state.Detail, state.LatencySeconds));
        harness.Time.Advance(DepHealth.AspNetCore.Scheduling.EndpointLoop.AbandonGrace);
        await Eventually.TrueAsync(() => harness.Statistics.Abandoned == 1, "the check still running after the grace is abandoned");
        check.Return(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Each_check_is_created_in_a_new_scope_that_is_disposed_after_it()
    {
        var scoped = new List<ScopedProbe>();
        await using var harness = Harness(
            b => b.AddHealthCheck(Dependency, "postgres", Host, Port, critical: true, services =>
            {
                var probe = services.GetRequiredService<ScopedProbe>();
                lock (scoped)
                {
                    scoped.Add(probe);
                }

                return new StaticHealthCheck(HealthCheckResult.Healthy());
            }),
            services => services.AddScoped<ScopedProbe>());
        await harness.StartAsync();
        await harness.WaitForChecksAsync(Dependency, Host, Port, 1);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.WaitForChecksAsync(Dependency, Host, Port, 2);

        await Eventually.TrueAsync(() => { lock (scoped) { return scoped.Count == 2 && scoped.All(p => p.Disposed); } }, "both scopes are disposed");
        Assert.NotSame(scoped[0], scoped[1]);
    }

    private sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class StaticHealthCheck(HealthCheckResult result) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(result);
    }
}
