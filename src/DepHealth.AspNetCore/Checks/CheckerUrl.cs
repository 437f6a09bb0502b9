namespace DepHealth.AspNetCore.Checks;

/// <summary>
/// The parts of an endpoint URL a checker uses besides its hosts: scheme, credentials and path. The hosts are
/// already split into endpoints, and each endpoint connects to its own host and port.
/// </summary>
internal readonly record struct CheckerUrl(string Scheme, string? User, string? Password, string Path)
{
    public static CheckerUrl Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? url[..schemeEnd].ToLowerInvariant() : string.Empty;
        var rest = schemeEnd > 0 ? url[(schemeEnd + 3)..] : url;

        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd >= 0 ? rest[..authorityEnd] : rest;
        var path = string.Empty;
        if (authorityEnd >= 0 && rest[authorityEnd] == '/')
        {
            path = rest[authorityEnd..];
            var pathEnd = path.IndexOfAny(['?', '#']);
            if (pathEnd >= 0)
            {
                path = path[..pathEnd];
            }
        }

        string? user = null;
        string? password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(userInfo[(colon + 1)..]) : null;
        }

        return new CheckerUrl(scheme, user, password, path);
    }
}
