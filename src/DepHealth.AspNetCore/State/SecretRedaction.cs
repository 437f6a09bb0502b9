using System.Data.Common;
using System.Text;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// Masks the credentials of an option value for display, keeping the rest readable
/// (<c>https://***@host/path?token=***&amp;x=1</c>), and hands every masked piece to the caller: the API shows the
/// result, <see cref="SecretScrubber"/> keeps the pieces. What is a credential is <see cref="SecretNames"/>' rule plus
/// the parts of a URL that are credentials (its user-info).
/// </summary>
internal static class SecretRedaction
{
    public const string Mask = "***";

    /// <summary>The value of option <paramref name="key"/> as it may be shown; each credential removed goes to <paramref name="secrets"/>.</summary>
    public static string Option(string key, string value, ICollection<string>? secrets = null)
    {
        if (SecretNames.IsSecret(key) || IsCredential(value))
        {
            secrets?.Add(value);
            return Mask;
        }

        if (key.Equals(CheckerOptionKeys.ConnectionString, StringComparison.OrdinalIgnoreCase))
        {
            return ConnectionString(value, secrets);
        }

        return Text(value, secrets);
    }

    /// <summary>A URL, a path with a query, or other text, with its user-info and secret query parameters masked.</summary>
    public static string Text(string value, ICollection<string>? secrets = null)
    {
        if (value.Contains("://", StringComparison.Ordinal) && UrlParts.TryParse(value, out var parts))
        {
            return Url(parts, secrets);
        }

        return value.Contains('?', StringComparison.Ordinal) ? Query(value, secrets) : value;
    }

    /// <summary>The connection string with the values of secret keys masked; one that cannot be parsed is masked whole.</summary>
    public static string ConnectionString(string connectionString, ICollection<string>? secrets = null)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            secrets?.Add(connectionString);
            return Mask;
        }

        foreach (var key in builder.Keys.Cast<string>().ToArray())
        {
            if (builder[key] is not string { Length: > 0 } value)
            {
                continue;
            }

            if (SecretNames.IsSecret(key) || IsCredential(value))
            {
                secrets?.Add(value);
                builder[key] = Mask;
            }
            else if (Text(value, secrets) is var shown && !string.Equals(shown, value, StringComparison.Ordinal))
            {
                builder[key] = shown;
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether a value is a credential whatever its key: an <c>Authorization</c> value such as <c>Bearer x</c> or <c>Basic x</c>.</summary>
    private static bool IsCredential(string value) =>
        value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    private static string Url(UrlParts parts, ICollection<string>? secrets)
    {
        var userInfo = string.Empty;
        if (parts.RawPassword is not null)
        {
            // A user name beside a password is shown; the password and the Basic header the HTTP stack would build are not.
            secrets?.Add(parts.RawPassword);
            secrets?.Add(parts.Password!);
            secrets?.Add(Basic(parts.UserName!, parts.Password!));
            userInfo = $"{parts.RawUserName}:{Mask}@";
        }
        else if (parts.RawUserName is not null)
        {
            // A user name alone is a token (https://tok3n@host).
            secrets?.Add(parts.RawUserName);
            secrets?.Add(parts.UserName!);
            userInfo = Mask + "@";
        }

        return $"{parts.Scheme}://{userInfo}{parts.HostList}{Query(parts.PathAndQuery, secrets)}";
    }

    private static string Query(string text, ICollection<string>? secrets)
    {
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return text;
        }

        var shown = new StringBuilder(text.Length).Append(text, 0, question + 1);
        var pairs = text[(question + 1)..].Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (i > 0)
            {
                shown.Append('&');
            }

            if (equals > 0 && pair.Length > equals + 1 && SecretNames.IsSecret(Unescape(pair[..equals])))
            {
                var value = pair[(equals + 1)..];
                secrets?.Add(value);
                secrets?.Add(Unescape(value));
                shown.Append(pair, 0, equals + 1).Append(Mask);
            }
            else
            {
                shown.Append(pair);
            }
        }

        return shown.ToString();
    }

    /// <summary>The credentials of a Basic <c>Authorization</c> header for <paramref name="user"/> and <paramref name="password"/>.</summary>
    public static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>The percent-decoded text, or the text itself when it is not validly encoded.</summary>
    public static string Unescape(string text)
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
