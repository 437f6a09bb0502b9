namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// The parts of a connection URL a standalone checker needs besides the hosts: scheme, credentials, path and
/// query parameters, percent-decoded. Parsed by hand because multi-host URLs (<c>h1:5432,h2:5433</c>) are not
/// valid <see cref="Uri"/>s. Errors never repeat the URL, which may hold credentials.
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

    /// <summary>The last value of query parameter <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? QueryValue(string name)
    {
        string? value = null;
        foreach (var (key, v) in Query)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
            }
        }

        return value;
    }

    /// <summary>Parses <paramref name="url"/>; false with a message that does not repeat it.</summary>
    public static bool TryParse(string url, out ConnectionUrl result, out string? error)
    {
        result = null!;
        error = null;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = "must be an absolute URL such as scheme://host:port";
            return false;
        }

        var scheme = url[..schemeEnd].ToLowerInvariant();
        var rest = url[(schemeEnd + 3)..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var queryText = string.Empty;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            queryText = rest[(question + 1)..];
            rest = rest[..question];
        }

        // Userinfo may hold an unescaped '@' or '/': the authority ends at the first '/' after the last '@'.
        var at = rest.LastIndexOf('@');
        var slash = rest.IndexOf('/', at + 1);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[(slash + 1)..] : string.Empty;

        string? user = null;
        string? password = null;
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(userInfo[(colon + 1)..]) : null;
        }

        var query = new List<KeyValuePair<string, string>>();
        foreach (var pair in queryText.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? pair[..equals] : pair;
            var value = equals >= 0 ? pair[(equals + 1)..] : string.Empty;
            query.Add(new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
        }

        result = new ConnectionUrl(scheme, user, password, path, query);
        return true;
    }
}
