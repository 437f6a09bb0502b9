namespace DepHealth.AspNetCore.Addressing;

/// <summary>
/// The parts of a connection URL a standalone checker needs besides the hosts: scheme, credentials, path (without its
/// leading '/') and query parameters, percent-decoded, as split by <see cref="UrlParts"/>. Errors never repeat the URL.
/// </summary>
internal sealed class ConnectionUrl
{
    private ConnectionUrl(string scheme, string? userName, string? password, string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        Scheme = scheme;
        UserName = userName;
        Password = password;
        Path = path;
        Query = query;
    }

    /// <summary>The scheme, lower-case.</summary>
    public string Scheme { get; }

    /// <summary>The decoded user name, or null when the URL has none.</summary>
    public string? UserName { get; }

    /// <summary>The decoded password, or null when the URL has none.</summary>
    public string? Password { get; }

    /// <summary>The path after the authority without its leading '/', still percent-encoded; empty when absent.</summary>
    public string Path { get; }

    /// <summary>The decoded query parameters in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>Parses <paramref name="url"/>; false with a message that does not repeat it.</summary>
    public static bool TryParse(string url, out ConnectionUrl result, out string? error)
    {
        result = null!;
        error = null;
        if (!UrlParts.TryParse(url, out var parts))
        {
            error = "must be an absolute URL such as scheme://host:port";
            return false;
        }

        result = new ConnectionUrl(parts.Scheme, parts.UserName, parts.Password, parts.Path.TrimStart('/'), parts.QueryParameters());
        return true;
    }
}
