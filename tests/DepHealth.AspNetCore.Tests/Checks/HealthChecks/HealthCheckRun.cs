using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>One dependency <c>dep</c> at <c>db.local:5432</c> registered with <c>AddHealthCheck</c> on the scheduler harness.</summary>
internal static class HealthCheckRun
{
    public const string Dependency = "dep";
    public const string Host = "db.local";
    public const int Port = 5432;

    public static SchedulerHarness Harness(string type, IHealthCheck check, Action<IServiceCollection>? services = null) =>
        Harness(b => b.AddHealthCheck(Dependency, type, Host, Port, critical: true, _ => check), services);

    public static SchedulerHarness Harness(Action<IDependencyHealthBuilder> register, Action<IServiceCollection>? services = null)
    {
        var harness = new SchedulerHarness(dependencies: b =>
        {
            services?.Invoke(b.Services);
            register(b);
        });
        return harness;
    }

    /// <summary>Starts the harness, lets the first check end with <paramref name="finish"/> and returns the recorded state.</summary>
    public static async Task<EndpointSnapshot> FirstResultAsync(SchedulerHarness harness, GatedHealthCheck check, Action<GatedHealthCheck> finish)
    {
        await harness.StartAsync();
        await check.Called;
        finish(check);
        await harness.WaitForChecksAsync(Dependency, Host, Port, 1);
        return harness.State(Dependency, Host, Port);
    }

    /// <summary>The detail recorded when a <paramref name="type"/> dependency's first check ends with <paramref name="finish"/>.</summary>
    public static async Task<string> DetailAsync(string type, Action<GatedHealthCheck> finish)
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness(type, check);
        return (await FirstResultAsync(harness, check, finish)).Detail;
    }
}
