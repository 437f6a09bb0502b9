namespace DepHealth.AspNetCore;

/// <summary>
/// Options of the runtime endpoint registry, bound from <c>DependencyHealth:Registry</c>. The host rules apply to
/// endpoints added or updated at runtime (through <see cref="IEndpointRegistry"/> or its HTTP API), never to
/// endpoints from configuration, so the registry cannot be used to make the application probe arbitrary networks.
/// </summary>
public sealed class DependencyRegistryOptions
{
    /// <summary>
    /// When not empty, a runtime endpoint's host must match one of these: an exact name (<c>db.svc</c>), a wildcard
    /// (<c>*.svc.cluster.local</c>, any depth; <c>*</c> for all), an IP address, or a CIDR block (<c>10.20.0.0/16</c>).
    /// Name rules match names and CIDR rules match IP literals: host names are not resolved when they are added.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Runtime endpoints whose host matches one of these are refused; wins over <see cref="AllowedHosts"/>.</summary>
    public IList<string> DeniedHosts { get; } = [];

    /// <summary>
    /// Mutations (POST, PUT, DELETE) the registry HTTP API accepts per second, with a burst of the same size; more
    /// answer 429. Default 20; 0 turns the limit off.
    /// </summary>
    public int MutationsPerSecond { get; set; } = 20;

    /// <summary>
    /// Failed authorizations (401 or 403) the registry HTTP API allows a client (its remote address) per
    /// <see cref="FailedAuthenticationWindow"/>; after that every request of that client to the API, even with valid
    /// credentials, answers 429 with <c>Retry-After</c> until the window ends. Default 10, at most 10,000; 0 turns the
    /// throttle off.
    /// </summary>
    public int FailedAuthenticationLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthenticationLimit"/>, from its first failure. Default 1 min, 1 s to 1 h.</summary>
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Where endpoints added at runtime are kept: <c>memory</c> (default: this process only, gone at restart),
    /// <c>sqlite</c> (a local file, <see cref="SqlitePath"/>, that survives restarts; package DepHealth.AspNetCore.Sqlite)
    /// or <c>etcd</c> (shared by every replica; package DepHealth.AspNetCore.Etcd, <c>AddEtcdRegistryStore</c>). Stored
    /// endpoints include their options as given, credentials too: protect the file or the etcd prefix accordingly.
    /// </summary>
    public string Store { get; set; } = "memory";

    /// <summary>The SQLite file of the <c>sqlite</c> store, for example <c>/var/lib/orders-api/registry.db</c>; created when missing.</summary>
    public string? SqlitePath { get; set; }
}
