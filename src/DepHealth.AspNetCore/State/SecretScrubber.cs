namespace DepHealth.AspNetCore.State;

/// <summary>
/// Knows the secret values of one endpoint (passwords, tokens, URL credentials) and removes them from any text
/// before it is logged or shown, whatever produced the text (a driver's exception message, a custom checker).
/// The secrets are what <see cref="SecretRedaction"/> masks in the endpoint's options, in every form a driver or the
/// HTTP stack may echo them: as given, percent-decoded and percent-encoded, after an <c>Authorization</c> scheme, and
/// decoded from Basic credentials.
/// </summary>
internal sealed class SecretScrubber
{
    // Derived pieces shorter than this are left alone: masking every "1" of a reason would hide it, not a secret.
    private const int MinDerivedLength = 4;
    private static readonly SecretScrubber None = new([]);
    private static readonly char[] UrlDelimiters = ['#', '/', '@', '?'];
    private readonly string[] _secrets;

    private SecretScrubber(string[] secrets) => _secrets = secrets;

    public static SecretScrubber For(EndpointSpec spec)
    {
        var given = new List<string>();
        foreach (var (key, value) in spec.Options)
        {
            if (!string.IsNullOrEmpty(value))
            {
                SecretRedaction.Option(key, value, given);
            }
        }

        if (spec.GetOption(CheckerOptionKeys.BasicUsername) is { } user && spec.GetOption(CheckerOptionKeys.BasicPassword) is { Length: > 0 } password)
        {
            given.Add(SecretRedaction.Basic(user, password));
        }

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in given)
        {
            if (secret.Length > 0)
            {
                secrets.Add(secret);
                AddDerived(secret, secrets);
            }
        }

        if (secrets.Count == 0)
        {
            return None;
        }

        // Longest first, so that a secret containing another is masked whole.
        return new SecretScrubber(secrets.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray());
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
                text = text.Replace(secret, SecretRedaction.Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static void AddDerived(string secret, HashSet<string> secrets)
    {
        Add(SecretRedaction.Unescape(secret), secrets);
        Add(Uri.EscapeDataString(secret), secrets);

        // "Bearer x", "Basic x": the credentials after the scheme; a Basic one also decoded, and its password alone.
        var space = secret.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && secret[..space].All(char.IsAsciiLetter))
        {
            var credentials = secret[(space + 1)..].Trim();
            Add(credentials, secrets);
            if (secret[..space].Equals("Basic", StringComparison.OrdinalIgnoreCase) && Base64Text(credentials) is { } decoded)
            {
                Add(decoded, secrets);
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                Add(colon >= 0 ? decoded[(colon + 1)..] : decoded, secrets);
            }
        }

        // An unescaped '#', '/', '@' or '?' cuts a password where a strict URL parser stops: it may echo either side.
        foreach (var piece in secret.Split(UrlDelimiters))
        {
            if (piece.Length < secret.Length)
            {
                Add(piece, secrets);
            }
        }

        // A cookie or key=value list: each value on its own.
        foreach (var part in secret.Split(';', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                Add(part[(equals + 1)..], secrets);
            }
        }
    }

    private static void Add(string derived, HashSet<string> secrets)
    {
        if (derived.Length >= MinDerivedLength)
        {
            secrets.Add(derived);
        }
    }

    private static string? Base64Text(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) ? System.Text.Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
