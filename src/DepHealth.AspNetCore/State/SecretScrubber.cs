using System.Data.Common;
using DepHealth.AspNetCore.Configuration;

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
    public static string RedactUrl(string url) => UrlParts.TryParse(url, out var parts) ? parts.Redacted(Mask) : Mask;

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
        if (UrlParts.TryParse(url, out var parts) && !string.IsNullOrEmpty(parts.Password))
        {
            // Both forms: as written in the URL, and unescaped (what a driver may echo back).
            secrets.Add(parts.RawPassword!);
            secrets.Add(parts.Password);
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
