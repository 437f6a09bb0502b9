namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// The parts of a dependency URL, split without <see cref="Uri"/> because URLs here may list several hosts
/// (<c>kafka://b0:9092,b1:9092</c>) and carry unescaped credentials. User name and password are unescaped.
/// </summary>
internal readonly record struct UrlParts(
    string Scheme, string? UserName, string? Password, string? RawUserName, string? RawPassword, string HostList, string PathAndQuery)
{
    /// <summary>Splits <paramref name="url"/>; a URL without <c>scheme://</c> yields an empty scheme and the whole text as hosts.</summary>
    public static UrlParts Parse(string url) =>
        TryParse(url, out var parts) ? parts : TryParse("none://" + url, out parts) ? parts with { Scheme = string.Empty } : default;

    public static bool TryParse(string url, out UrlParts parts)
    {
        parts = default;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var rest = url[(schemeEnd + 3)..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        // RFC 3986: the authority ends at the first '/' or '?'; inside it, an unescaped '@' in a password
        // is tolerated by taking the host list after the last '@'.
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart >= 0 ? rest[..pathStart] : rest;
        var pathAndQuery = pathStart >= 0 ? rest[pathStart..] : string.Empty;
        var at = authority.LastIndexOf('@');
        var userInfo = at >= 0 ? authority[..at] : null;
        var hostList = at >= 0 ? authority[(at + 1)..] : authority;

        string? rawUser = null;
        string? rawPassword = null;
        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            rawUser = colon >= 0 ? userInfo[..colon] : userInfo;
            rawPassword = colon >= 0 ? userInfo[(colon + 1)..] : null;
        }

        parts = new UrlParts(
            url[..schemeEnd].ToLowerInvariant(),
            rawUser is null ? null : Unescape(rawUser),
            rawPassword is null ? null : Unescape(rawPassword),
            rawUser,
            rawPassword,
            hostList,
            pathAndQuery);
        return true;
    }

    /// <summary>The URL with its password replaced by <paramref name="mask"/>, for display.</summary>
    public string Redacted(string mask) =>
        RawUserName is null
            ? $"{Scheme}://{HostList}{PathAndQuery}"
            : $"{Scheme}://{RawUserName}{(RawPassword is null ? string.Empty : ":" + mask)}@{HostList}{PathAndQuery}";

    /// <summary>The path without the query, or empty.</summary>
    public string Path
    {
        get
        {
            var query = PathAndQuery.IndexOf('?', StringComparison.Ordinal);
            return query >= 0 ? PathAndQuery[..query] : PathAndQuery;
        }
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
