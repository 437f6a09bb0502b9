namespace DepHealth.AspNetCore;

/// <summary>The keys of <see cref="EndpointSpec.Options"/>, the same as the configuration keys.</summary>
public static class CheckerOptionKeys
{
    /// <summary>The dependency's URL (credentials allowed).</summary>
    public const string Url = "Url";
    /// <summary>A .NET connection string (credentials allowed).</summary>
    public const string ConnectionString = "ConnectionString";
    /// <summary>HTTP path.</summary>
    public const string HealthPath = "HealthPath";
    /// <summary>HTTP method.</summary>
    public const string Method = "Method";
    /// <summary>Prefix of HTTP headers: <c>Headers:&lt;name&gt;</c>.</summary>
    public const string Headers = "Headers";
    /// <summary>Bearer token.</summary>
    public const string BearerToken = "BearerToken";
    /// <summary>Basic-auth user.</summary>
    public const string BasicUsername = "BasicUsername";
    /// <summary>Basic-auth password.</summary>
    public const string BasicPassword = "BasicPassword";
    /// <summary>HTTP Host header override (also the TLS server name).</summary>
    public const string HostHeader = "HostHeader";
    /// <summary>HTTP pool mode: the name of the application's client from <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "HttpClientName";
    /// <summary>Accept any server certificate.</summary>
    public const string TlsSkipVerify = "TlsSkipVerify";
    /// <summary>SQL check query.</summary>
    public const string Query = "Query";
    /// <summary>gRPC health service name.</summary>
    public const string ServiceName = "ServiceName";
    /// <summary>gRPC :authority override.</summary>
    public const string GrpcAuthority = "GrpcAuthority";
    /// <summary>Prefix of gRPC metadata: <c>Metadata:&lt;key&gt;</c>.</summary>
    public const string Metadata = "Metadata";
    /// <summary>gRPC: use TLS.</summary>
    public const string Tls = "Tls";
    /// <summary>Database name or index.</summary>
    public const string Database = "Database";
    /// <summary>User name.</summary>
    public const string Username = "Username";
    /// <summary>Password.</summary>
    public const string Password = "Password";

    /// <summary>
    /// Whether an option holds a secret or may carry one (and so is never shown as given): <see cref="Url"/> and
    /// <see cref="ConnectionString"/>, and every key whose name (for <c>Headers:</c> and <c>Metadata:</c> keys, the header
    /// name) contains password, passwd, pwd, secret, token, key, auth, cookie, session, credential or signature, or is
    /// sig, pass or pw.
    /// </summary>
    /// <param name="key">The option key.</param>
    public static bool IsSecret(string key) =>
        key.Equals(Url, StringComparison.OrdinalIgnoreCase)
        || key.Equals(ConnectionString, StringComparison.OrdinalIgnoreCase)
        || SecretNames.IsSecret(key);
}
