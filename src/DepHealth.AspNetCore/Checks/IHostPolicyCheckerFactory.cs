using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks;

/// <summary>A built-in factory whose checkers can go elsewhere than the endpoint's host (redirects, DNS) and so take the host policy.</summary>
internal interface IHostPolicyCheckerFactory
{
    /// <summary>Creates a checker that follows redirects and connects only where <paramref name="policy"/> allows.</summary>
    IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy);
}
