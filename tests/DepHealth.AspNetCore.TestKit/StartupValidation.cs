using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Registers dependencies through the public builder API and runs the startup validation of the options.</summary>
public static class StartupValidation
{
    /// <summary>The validation failures (empty when the options are valid).</summary>
    public static IReadOnlyList<string> Failures(Action<IDependencyHealthBuilder> register)
    {
        var services = new ServiceCollection();
        register(services.AddDependencyHealth(o => (o.Name, o.Group) = ("app", "team")));
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }
}
