using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>Fills <c>Name</c> and <c>Group</c> from <c>DEPHEALTH_NAME</c> / <c>DEPHEALTH_GROUP</c> when not set explicitly.</summary>
internal sealed class EnvironmentNamePostConfigure : IPostConfigureOptions<DependencyHealthOptions>
{
    public void PostConfigure(string? name, DependencyHealthOptions options)
    {
        if (string.IsNullOrEmpty(options.Name))
        {
            options.Name = NullIfEmpty(Environment.GetEnvironmentVariable("DEPHEALTH_NAME"));
        }

        if (string.IsNullOrEmpty(options.Group))
        {
            options.Group = NullIfEmpty(Environment.GetEnvironmentVariable("DEPHEALTH_GROUP"));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
