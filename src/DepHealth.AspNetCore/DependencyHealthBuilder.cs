using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore;

internal sealed class DependencyHealthBuilder(IServiceCollection services) : IDependencyHealthBuilder
{
    public IServiceCollection Services { get; } = services;
}
