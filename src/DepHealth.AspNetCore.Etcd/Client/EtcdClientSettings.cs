namespace DepHealth.AspNetCore.Etcd.Client;

/// <summary>How to reach etcd: endpoints tried in turn, optional user and password, optional TLS files (PEM).</summary>
internal sealed record EtcdClientSettings
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM file of the certificate authorities that sign etcd's server certificate; the system's store when null.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM file of the client certificate, for etcd's <c>--client-cert-auth</c>.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM file of the client certificate's private key.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Time a unary request may take, per endpoint.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to open a connection.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Parses comma-separated absolute http(s) URLs; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static List<Uri> ParseEndpoints(string? endpoints)
    {
        var result = new List<Uri>();
        foreach (var part in (endpoints ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"etcd endpoint '{part}' must be an absolute http:// or https:// URL", nameof(endpoints));
            }

            result.Add(uri);
        }

        if (result.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required (comma-separated URLs such as http://127.0.0.1:2379)", nameof(endpoints));
        }

        return result;
    }
}
