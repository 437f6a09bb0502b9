using System.Globalization;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>
/// The Redis checker's options: credentials and database from the URL (<c>redis://user:pass@host:6379/2</c>,
/// <c>redis://:pass@host</c>) or from <c>Username</c>, <c>Password</c> and <c>Database</c>, which win over the URL;
/// TLS from the <c>rediss</c> scheme or <c>Tls</c>; <c>TlsSkipVerify</c>.
/// </summary>
internal sealed class RedisCheckerSettings
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public int Database { get; init; }

    public bool UseTls { get; init; }

    public bool SkipTlsVerify { get; init; }

    public static RedisCheckerSettings Parse(EndpointSpec spec, ICollection<EndpointValidationError> errors)
    {
        UrlParts? url = null;
        var urlText = spec.GetOption(CheckerOptionKeys.Url);
        if (urlText is not null)
        {
            url = UrlParts.Parse(urlText);
            if (url.Value.Scheme is not ("redis" or "rediss"))
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the redis or rediss scheme for type redis"));
            }
        }

        // An empty user in the URL (redis://:pass@host) means the default user: AUTH with the password alone.
        var username = spec.GetOption(CheckerOptionKeys.Username) ?? url?.UserName;
        if (username is { Length: 0 })
        {
            username = null;
        }

        var password = spec.GetOption(CheckerOptionKeys.Password) ?? url?.Password;
        if (username is not null && password is null)
        {
            errors.Add(new(CheckerOptionKeys.Password, "is required when a user name is given (redis://user:password@host)"));
        }

        var database = 0;
        var databaseText = spec.GetOption(CheckerOptionKeys.Database);
        if (databaseText is not null)
        {
            if (!TryParseDatabase(databaseText, out database))
            {
                errors.Add(new(CheckerOptionKeys.Database, "must be a database index: digits only, 0 or more"));
            }
        }
        else if (url is { Path: { Length: > 1 } path } && !TryParseDatabase(path[1..], out database))
        {
            errors.Add(new(CheckerOptionKeys.Url, "path must be a database index such as /0: digits only"));
        }

        var useTls = url?.Scheme == "rediss";
        var tlsText = spec.GetOption(CheckerOptionKeys.Tls);
        if (tlsText is not null && !bool.TryParse(tlsText, out useTls))
        {
            errors.Add(new(CheckerOptionKeys.Tls, "must be true or false"));
        }

        var skipVerify = false;
        var skipText = spec.GetOption(CheckerOptionKeys.TlsSkipVerify);
        if (skipText is not null && !bool.TryParse(skipText, out skipVerify))
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "must be true or false"));
        }

        return new RedisCheckerSettings
        {
            Username = username,
            Password = password,
            Database = database,
            UseTls = useTls,
            SkipTlsVerify = skipVerify,
        };
    }

    // Only the form is checked: how many databases exist is the server's configuration, and SELECT reports an index out of range.
    private static bool TryParseDatabase(string text, out int database) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out database);
}
