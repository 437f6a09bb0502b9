using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// Where the etcd configuration source reads from. Keys under <see cref="Prefix"/> become configuration keys with
/// <c>/</c> turned into <c>:</c>: <c>&lt;prefix&gt;/DependencyHealth/Dependencies/pg/Url</c> is
/// <c>DependencyHealth:Dependencies:pg:Url</c>.
/// </summary>
public sealed class EtcdConfigurationOptions
{
    /// <summary>Comma-separated etcd client URLs, for example <c>http://etcd-0:2379,http://etcd-1:2379</c>. Required.</summary>
    public string? Endpoints { get; set; }

    /// <summary>
    /// The key prefix, for example <c>/config/orders-api</c>. Required; a trailing <c>/</c> is implied. Keys under
    /// <c>&lt;prefix&gt;/registry/</c> are the registry store's (<c>AddEtcdRegistryStore</c>) and are not read as configuration.
    /// </summary>
    public string? Prefix { get; set; }

    /// <summary>The etcd user; with it the source authenticates (<c>/v3/auth/authenticate</c>) and renews its token.</summary>
    public string? Username { get; set; }

    /// <summary>The etcd user's password.</summary>
    public string? Password { get; set; }

    /// <summary>PEM file of the certificate authorities that sign etcd's server certificate (https endpoints); the system's store when unset.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM file of a client certificate, for etcd's <c>--client-cert-auth</c>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM file of the client certificate's private key (when not in <see cref="ClientCertificateFile"/>).</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// A local file holding the last values read from etcd (written with mode 0600, it may hold credentials). When
    /// etcd cannot be reached at startup the application starts with these values instead of none.
    /// </summary>
    public string? CacheFile { get; set; }

    /// <summary>How long startup waits for the first read before going on without etcd. Default 5 s.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time one request may take. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to open a connection. Default 3 s.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First delay before reconnecting after an error; doubles (with jitter) up to <see cref="MaxReconnectDelay"/>. Default 0.5 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether reconnection delays are randomized, so replicas do not reconnect in step. Tests turn it off.</summary>
    internal bool ReconnectJitter { get; set; } = true;

    /// <summary>The clock the reconnection delays run on. Tests substitute a manual one to decide when a reconnect happens.</summary>
    internal TimeProvider ReconnectClock { get; set; } = TimeProvider.System;

    /// <summary>Longest delay between reconnection attempts. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a value that is a JSON object is expanded into keys under its own key, so that a whole dependency can be
    /// put atomically: <c>&lt;prefix&gt;/DependencyHealth/Dependencies/pg = {"Url":"postgres://db:5432","Critical":true}</c>.
    /// Default true.
    /// </summary>
    public bool ExpandJsonValues { get; set; } = true;

    /// <summary>
    /// Where the source logs (startup without etcd, lost and restored connections). When unset, events are buffered
    /// until <c>services.AddEtcdConfigurationLogging()</c> hands them to the application's logging at startup.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
