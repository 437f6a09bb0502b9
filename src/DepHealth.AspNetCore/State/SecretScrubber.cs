using System.Data.Common;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// Knows the secret values of one endpoint (passwords, tokens, URL credentials) and removes them from any text
/// before it is logged or shown, whatever produced the text (a driver's exception message, a custom checker).
/// </summary>
internal sealed class SecretScrubber
{
    private const string Mask = "***";
    private static readonly SecretScrubber None = new([]);
    private static readonly string[] PasswordKeys = ["Password", "Pwd", "Token", "Secret"];
    private readonly string[] _secrets;

    private SecretScrubber(string[] secrets) => _secrets = secrets;

    public static SecretScrubber For(EndpointSpec spec)
    {
        var secrets = new List<string>();
        foreach (var (key, value) in spec.Options)
        {
            if (string.IsNullOrEmpty(value) || !CheckerOptionKeys.IsSecret(key))
            {
                continue;
            }

            if (key.Equals(CheckerOptionKeys.Url, StringComparison.OrdinalIgnoreCase))
            {
                AddUrlSecrets(value, secrets);
            }
            else if (key.Equals(CheckerOptionKeys.ConnectionString, StringComparison.OrdinalIgnoreCase))
            {
                AddConnectionStringSecrets(value, secrets);
            }
            else
            {
                secrets.Add(value);
                if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
                {
                    secrets.Add(value[(value.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
                }
            }
        }

        if (secrets.Count == 0)
        {
            return None;
        }

        // Longest first, so that a secret containing another is masked whole.
        return new SecretScrubber(secrets.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray());
    }

    public bool IsEmpty => _secrets.Length == 0;

    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Returns the URL with the password of its user info masked.</summary>
    public static string RedactUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return url;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? url[authorityStart..] : url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return url;
        }

        var userInfo = authority[..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var redacted = colon < 0 ? userInfo : userInfo[..colon] + ":" + Mask;
        return url[..authorityStart] + redacted + authority[at..] + (authorityEnd < 0 ? string.Empty : url[authorityEnd..]);
    }

    /// <summary>Returns the connection string with password-like values masked.</summary>
    public static string RedactConnectionString(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return Mask;
        }

        foreach (var key in builder.Keys.Cast<string>().ToArray())
        {
            if (IsPasswordKey(key))
            {
                builder[key] = Mask;
            }
        }

        return builder.ConnectionString;
    }

    private static bool IsPasswordKey(string key) =>
        PasswordKeys.Any(k => key.Contains(k, StringComparison.OrdinalIgnoreCase));

    private static void AddUrlSecrets(string url, List<string> secrets)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return;
        }

        var authority = url[(schemeEnd + 3)..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }

        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return;
        }

        var userInfo = authority[..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon < userInfo.Length - 1)
        {
            var password = userInfo[(colon + 1)..];
            secrets.Add(password);
            var unescaped = Uri.UnescapeDataString(password);
            if (!string.Equals(unescaped, password, StringComparison.Ordinal))
            {
                secrets.Add(unescaped);
            }
        }
    }

    private static void AddConnectionStringSecrets(string connectionString, List<string> secrets)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            secrets.Add(connectionString);
            return;
        }

        foreach (string key in builder.Keys)
        {
            if (IsPasswordKey(key) && builder[key] is string { Length: > 0 } value)
            {
                secrets.Add(value);
            }
        }
    }
}
