using DepHealth.AspNetCore.Etcd;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds etcd as a configuration source.</summary>
public static class EtcdConfigurationExtensions
{
    /// <summary>
    /// Adds the keys under an etcd prefix as configuration, kept current by a watch. Added after the other sources,
    /// its values win over theirs. Never fails because etcd is unavailable.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="configure">Sets the endpoints, the prefix, credentials, TLS files and the cache file.</param>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, Action<EtcdConfigurationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new EtcdConfigurationOptions();
        configure(options);
        return builder.Add(new EtcdConfigurationSource(options));
    }

    /// <summary>
    /// Adds etcd as a configuration source with options bound from <paramref name="section"/> (for example the
    /// <c>Etcd</c> section: <c>Endpoints</c>, <c>Prefix</c>, <c>Username</c>, <c>Password</c>, <c>CaFile</c>,
    /// <c>ClientCertificateFile</c>, <c>ClientKeyFile</c>, <c>CacheFile</c>, …).
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="section">The section holding the options.</param>
    /// <param name="configure">Sets further options in code.</param>
    public static IConfigurationBuilder AddEtcd(this IConfigurationBuilder builder, IConfiguration section, Action<EtcdConfigurationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return builder.AddEtcd(options =>
        {
            section.Bind(options);
            configure?.Invoke(options);
        });
    }
}
