using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore;

/// <summary>
/// The check timeout a checker should give its driver, so that work the scheduler abandons at the timeout
/// (a blocking driver call) still ends on its own soon after.
/// </summary>
public static class CheckTimeouts
{
    /// <summary>The global timeout from the options, or the contract's default when none are registered.</summary>
    public static TimeSpan Global(IServiceProvider services) =>
        services.GetService<IOptions<DependencyHealthOptions>>()?.Value.Timeout ?? ContractLimits.DefaultTimeout;

    /// <summary>The endpoint's own timeout, else <paramref name="global"/>.</summary>
    public static TimeSpan Of(EndpointSpec endpoint, TimeSpan global) => endpoint.Timeout ?? global;

    /// <summary>A timeout in whole seconds, rounded up, at least one: what ADO.NET drivers take.</summary>
    public static int WholeSeconds(TimeSpan timeout) => Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
}
