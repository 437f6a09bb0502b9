using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>Fills <c>Name</c> and <c>Group</c> from <c>DEPHEALTH_NAME</c> / <c>DEPHEALTH_GROUP</c> when not set explicitly.</summary>
internal sealed class EnvironmentNamePostConfigure : IPostConfigureOptions<DependencyHealthOptions>
{
    private readonly Func<string, string?> _read;

    public EnvironmentNamePostConfigure()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    internal EnvironmentNamePostConfigure(Func<string, string?> read) => _read = read;

    public void PostConfigure(string? name, DependencyHealthOptions options)
    {
        if (string.IsNullOrEmpty(options.Name))
        {
            options.Name = NullIfEmpty(_read("DEPHEALTH_NAME"));
        }

        if (string.IsNullOrEmpty(options.Group))
        {
            options.Group = NullIfEmpty(_read("DEPHEALTH_GROUP"));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
