using DepHealth.AspNetCore.Addressing;


namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>
/// The standalone AMQP connection settings from the <c>Url</c> option (<c>amqp://</c>, <c>amqps://</c>) plus
/// <c>Username</c>, <c>Password</c> and <c>TlsSkipVerify</c>. The vhost is the URL's path, percent-decoded:
/// <c>/%2F</c> is <c>/</c>, and no path (or an empty one) is <c>/</c>.
/// </summary>
internal sealed class AmqpCheckerSettings
{
    private const int DefaultTlsPort = 5671;

    public string? UserName { get; private init; }

    public string? Password { get; private init; }

    public string VirtualHost { get; private init; } = "/";

    /// <summary>TLS for <c>amqps://</c>, or without a URL for port 5671.</summary>
    public bool? UseTls { get; private init; }

    public bool SkipTlsVerify { get; private init; }

    public bool UsesTls(EndpointSpec endpoint) => UseTls ?? endpoint.Port == DefaultTlsPort;

    public static AmqpCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        string? user = null;
        string? password = null;
        var virtualHost = "/";
        bool? useTls = null;
        var url = endpoint.GetOption(CheckerOptionKeys.Url);
        if (url is not null)
        {
            if (!ConnectionUrl.TryParse(url, out var parsed, out var error))
            {
                errors.Add(new(CheckerOptionKeys.Url, error!));
            }
            else if (parsed.Scheme is not ("amqp" or "amqps"))
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the amqp or amqps scheme for type amqp"));
            }
            else
            {
                useTls = parsed.Scheme == "amqps";
                user = parsed.UserName;
                password = parsed.Password;
                if (parsed.Path.Contains('/', StringComparison.Ordinal))
                {
                    errors.Add(new(CheckerOptionKeys.Url, "the vhost must be one path segment: escape '/' as %2F"));
                }
                else if (parsed.Path.Length > 0)
                {
                    virtualHost = Uri.UnescapeDataString(parsed.Path);
                }
            }
        }

        if (endpoint.GetOption(CheckerOptionKeys.ConnectionString) is not null)
        {
            errors.Add(new(CheckerOptionKeys.ConnectionString, "is not supported for type amqp: use an amqp:// or amqps:// Url"));
        }

        user = endpoint.GetOption(CheckerOptionKeys.Username) ?? user;
        password = endpoint.GetOption(CheckerOptionKeys.Password) ?? password;

        var skip = false;
        if (endpoint.GetOption(CheckerOptionKeys.TlsSkipVerify) is { } skipText && !bool.TryParse(skipText, out skip))
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "must be true or false"));
        }

        return new AmqpCheckerSettings
        {
            UserName = user,
            Password = password,
            VirtualHost = virtualHost,
            UseTls = useTls,
            SkipTlsVerify = skip,
        };
    }
}
