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








    /// <summary>Redis: the database index; AMQP: not used; Postgres, MySQL: the database name.</summary>
    public string? Database { get; set; }

    /// <summary>The user name where the URL does not carry it.</summary>
    public string? Username { get; set; }

    /// <summary>The password where the URL does not carry it.</summary>
    public string? Password { get; set; }


    /// <summary>
    /// Options of the dependency's type that are not properties here, by the names its package documents (for example
    /// <c>BindDN</c> for <c>ldap</c>, <c>SaslMechanism</c> for <c>kafka</c>). In configuration they sit beside the others
    /// (<c>DependencyHealth:Dependencies:&lt;name&gt;:BindDN</c>); the type's checker factory validates them, and a key
    /// it does not know is an error naming the key.
    /// </summary>
    public IDictionary<string, string> Options { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Creates a custom or pool-mode checker from the application's services; set by registration methods,
    /// never bound from configuration.
    /// </summary>
    public Func<IServiceProvider, IDependencyChecker>? CheckerFactory { get; set; }
}
