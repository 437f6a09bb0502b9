using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore;

/// <summary>Returned by <c>AddDependencyHealth</c>; dependency registration methods extend it.</summary>
public interface IDependencyHealthBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
