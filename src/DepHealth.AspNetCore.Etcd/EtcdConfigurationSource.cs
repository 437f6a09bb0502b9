using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>The etcd configuration source; add it with <c>AddEtcd</c>.</summary>
/// <param name="options">Where to read from.</param>
public sealed class EtcdConfigurationSource(EtcdConfigurationOptions options) : IConfigurationSource
{
    /// <summary>Where to read from.</summary>
    public EtcdConfigurationOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EtcdConfigurationProvider(Options);
}
