namespace DepHealth.AspNetCore;

/// <summary>
/// One dependency, bound from <c>DependencyHealth:Dependencies:&lt;name&gt;</c>. Give <see cref="Url"/>,
/// or <see cref="Host"/> and <see cref="Port"/>, or <see cref="ConnectionString"/> with <see cref="Type"/>.
/// A URL with several hosts yields one endpoint per host.
/// </summary>
public sealed class DependencyOptions
{
    /// <summary>The type; optional when the URL scheme decides it.</summary>
    public string? Type { get; set; }

    /// <summary>The URL, for example <c>postgres://user:pass@pg:5432/app</c>; credentials are used, never shown.</summary>
    public string? Url { get; set; }

    /// <summary>The host, with <see cref="Port"/>, instead of a URL.</summary>
    public string? Host { get; set; }

    /// <summary>The port; defaults to the type's default port.</summary>
    public int? Port { get; set; }

    /// <summary>A .NET connection string (host from Host, Server, Data Source, Address, Addr or Network Address).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether readiness depends on this dependency. Required.</summary>
    public bool? Critical { get; set; }

    /// <summary>Overrides the global check interval.</summary>
    public TimeSpan? CheckInterval { get; set; }

    /// <summary>Overrides the global timeout.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Overrides the global initial delay.</summary>
    public TimeSpan? InitialDelay { get; set; }

    /// <summary>Overrides the global failure threshold.</summary>
    public int? FailureThreshold { get; set; }

    /// <summary>Overrides the global success threshold.</summary>
    public int? SuccessThreshold { get; set; }

    /// <summary>Custom metric labels.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>HTTP: the path checked. Default <c>/health</c>.</summary>
    public string? HealthPath { get; set; }

    /// <summary>HTTP: the method. Default <c>GET</c>.</summary>
    public string? Method { get; set; }

    /// <summary>HTTP: extra request headers.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>HTTP, gRPC: a bearer token sent as <c>Authorization</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>HTTP, gRPC: the basic-auth user name.</summary>
    public string? BasicUsername { get; set; }

    /// <summary>HTTP, gRPC: the basic-auth password.</summary>
    public string? BasicPassword { get; set; }

    /// <summary>HTTP: overrides the Host header, and with it the TLS server name.</summary>
    public string? HostHeader { get; set; }

    /// <summary>
    /// HTTP pool mode: the name of the application's client from <c>IHttpClientFactory</c> (<c>AddHttpClient(name, …)</c>).
    /// Each check sends through <c>CreateClient(name)</c>, so the client's handlers apply and its connections are reused;
    /// not allowed on endpoints changed at runtime.
    /// </summary>
    public string? HttpClientName { get; set; }

    /// <summary>HTTP, gRPC, Redis, LDAP: accept any server certificate (for tests; never in production).</summary>
    public bool? TlsSkipVerify { get; set; }

    /// <summary>Postgres, MySQL: the check query. Default <c>SELECT 1</c>.</summary>
    public string? Query { get; set; }

    /// <summary>gRPC: the service name asked of <c>grpc.health.v1.Health/Check</c>; empty asks for the server.</summary>
    public string? ServiceName { get; set; }

    /// <summary>gRPC: overrides the <c>:authority</c> pseudo-header.</summary>
    public string? GrpcAuthority { get; set; }

    /// <summary>gRPC: metadata sent with the call.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>gRPC, Redis: use TLS. gRPC default: TLS for <c>https://</c>, and for <c>grpc://</c> on port 443; Redis: <c>rediss://</c>.</summary>
    public bool? Tls { get; set; }

    /// <summary>LDAP: <c>anonymous_bind</c>, <c>simple_bind</c>, <c>root_dse</c> (default) or <c>search</c>.</summary>
    public string? CheckMethod { get; set; }

    /// <summary>LDAP: the bind DN for <c>simple_bind</c>.</summary>
    public string? BindDN { get; set; }

    /// <summary>LDAP: the bind password for <c>simple_bind</c>.</summary>
    public string? BindPassword { get; set; }

    /// <summary>LDAP: the base DN for <c>search</c>.</summary>
    public string? BaseDN { get; set; }

    /// <summary>LDAP: the search filter. Default <c>(objectClass=*)</c>.</summary>
    public string? SearchFilter { get; set; }

    /// <summary>LDAP: <c>base</c>, <c>one</c> or <c>sub</c>.</summary>
    public string? SearchScope { get; set; }

    /// <summary>LDAP: upgrade with StartTLS.</summary>
    public bool? StartTls { get; set; }

    /// <summary>Redis: the database index; AMQP: not used; Postgres, MySQL: the database name.</summary>
    public string? Database { get; set; }

    /// <summary>The user name where the URL does not carry it.</summary>
    public string? Username { get; set; }

    /// <summary>The password where the URL does not carry it.</summary>
    public string? Password { get; set; }

    /// <summary>Kafka (DepHealth.AspNetCore.Kafka): the SASL mechanism for <see cref="Username"/> and <see cref="Password"/>, <c>PLAIN</c>, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>.</summary>
    public string? SaslMechanism { get; set; }

    /// <summary>
    /// Creates a custom or pool-mode checker from the application's services; set by registration methods,
    /// never bound from configuration.
    /// </summary>
    public Func<IServiceProvider, IDependencyChecker>? CheckerFactory { get; set; }
}
