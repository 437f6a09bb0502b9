namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// Where the etcd registry store keeps runtime endpoints: as JSON values under
/// <c>&lt;Prefix&gt;/registry/&lt;dependency&gt;/&lt;host&gt;/&lt;port&gt;</c>. The keys match the etcd configuration source's
/// (<c>Endpoints</c>, <c>Prefix</c>, <c>Username</c>, …), so one <c>Etcd</c> section can serve both.
/// </summary>
public sealed class EtcdRegistryStoreOptions
{
    /// <summary>Comma-separated etcd client URLs, for example <c>http://etcd-0:2379,http://etcd-1:2379</c>. Required.</summary>
    public string? Endpoints { get; set; }

    /// <summary>The key prefix, for example <c>/config/orders-api</c>; endpoints go under <c>&lt;Prefix&gt;/registry/</c>. Required.</summary>
    public string? Prefix { get; set; }

    /// <summary>The etcd user; with it the store authenticates and renews its token.</summary>
    public string? Username { get; set; }

    /// <summary>The etcd user's password.</summary>
    public string? Password { get; set; }

    /// <summary>PEM file of the certificate authorities that sign etcd's server certificate (https endpoints).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM file of a client certificate, for etcd's <c>--client-cert-auth</c>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM file of the client certificate's private key (when not in <see cref="ClientCertificateFile"/>).</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Time one request may take; a registry change waits at most this long for etcd before failing. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to open a connection. Default 3 s.</summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First delay before the watch reconnects after an error; doubles (with jitter) up to <see cref="MaxReconnectDelay"/>. Default 0.5 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between reconnection attempts of the watch. Default 10 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether reconnection delays are randomized, so replicas do not reconnect in step. Tests turn it off.</summary>
    internal bool ReconnectJitter { get; set; } = true;

    /// <summary>The clock the reconnection delays run on. Tests substitute a manual one to decide when the watch reconnects.</summary>
    internal TimeProvider ReconnectClock { get; set; } = TimeProvider.System;
}
