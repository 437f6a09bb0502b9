namespace DepHealth.AspNetCore.Addressing;

/// <summary>
/// The parts of a dependency URL, split without <see cref="Uri"/> because URLs here may list several hosts
/// (<c>kafka://b0:9092,b1:9092</c>) and carry unescaped credentials. User name and password are unescaped.
/// A password may hold '@', '/' and '#' unescaped but not '?'; an '@' in a path or fragment must be written <c>%40</c>.
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

        // The query goes first, so a query value may hold '@'. Then the userinfo ends at the last '@', so an
        // unescaped '@', '/' or '#' in a password still works; the host list ends at the first '/' or '#' after it.
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question >= 0 ? rest[question..] : string.Empty;
        if (question >= 0)
        {
            rest = rest[..question];
        }

        var at = rest.LastIndexOf('@');
        var hostEnd = rest.IndexOfAny(['/', '#'], at + 1);
        var authority = hostEnd >= 0 ? rest[..hostEnd] : rest;
        var path = hostEnd >= 0 ? rest[hostEnd..] : string.Empty;
        var fragment = path.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            path = path[..fragment];
            query = string.Empty;
        }

        fragment = query.IndexOf('#', StringComparison.Ordinal);
        var pathAndQuery = path + (fragment >= 0 ? query[..fragment] : query);
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

    /// <summary>The decoded query parameters in order.</summary>
    public List<KeyValuePair<string, string>> QueryParameters()
    {
        var parameters = new List<KeyValuePair<string, string>>();
        var question = PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return parameters;
        }

        foreach (var pair in PathAndQuery[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            parameters.Add(new(Unescape(equals >= 0 ? pair[..equals] : pair), Unescape(equals >= 0 ? pair[(equals + 1)..] : string.Empty)));
        }

        return parameters;
    }

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
