namespace DepHealth.AspNetCore;

/// <summary>
/// The one rule for names that hold a credential, whatever kind of name it is: an option key (<c>BearerToken</c>,
/// <c>ApiKey</c>), a header or metadata name (<c>X-Api-Key</c>, <c>Cookie</c>, <c>Authorization</c>), a URL query
/// parameter (<c>password</c>, <c>access_token</c>, <c>sig</c>) or a connection-string key (<c>Pwd</c>, <c>SslPassword</c>).
/// </summary>
internal static class SecretNames
{
    // Any name containing one of these, case-insensitive: over-masking a harmless name costs less than a leak.
    private static readonly string[] Words =
        ["password", "passwd", "pwd", "secret", "token", "key", "auth", "cookie", "session", "credential", "signature"];

    // Names too short to match inside other words.
    private static readonly string[] Exact = ["sig", "pass", "pw"];

    /// <summary>Whether <paramref name="name"/> names a credential; for <c>Headers:X</c> and <c>Metadata:x</c> keys the part after the last ':' decides.</summary>
    public static bool IsSecret(string name)
    {
        var colon = name.LastIndexOf(':');
        var last = colon >= 0 ? name[(colon + 1)..] : name;
        foreach (var word in Words)
        {
            if (last.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var exact in Exact)
        {
            if (last.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
