using Confluent.Kafka;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// The connection options of a standalone kafka check, read from an endpoint's options: TLS, certificate verification
/// and SASL credentials (from <c>Username</c>/<c>Password</c> or the URL's user info). Errors name the key and the rule,
/// never a value.
/// </summary>
internal sealed record KafkaClientSettings(bool Tls, bool TlsSkipVerify, SaslMechanism? Mechanism, string? Username, string? Password)
{
    private const string Mechanisms = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512";

    /// <summary>Reads the settings; adds one error per invalid option.</summary>
    public static KafkaClientSettings Read(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var tls = Flag(endpoint, CheckerOptionKeys.Tls, errors);
        var skipVerify = Flag(endpoint, CheckerOptionKeys.TlsSkipVerify, errors);
        if (skipVerify && !tls)
        {
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "needs Tls=true: certificate verification applies to TLS only"));
        }

        var (urlUser, urlPassword) = UrlCredentials(endpoint, errors);
        var optionUser = endpoint.GetOption(CheckerOptionKeys.Username);
        var optionPassword = endpoint.GetOption(CheckerOptionKeys.Password);
        if (urlUser is not null && (optionUser is not null || optionPassword is not null))
        {
            errors.Add(new(CheckerOptionKeys.Username, "give the credentials once: in the Url or as Username and Password"));
        }

        var user = optionUser ?? urlUser;
        var password = optionPassword ?? urlPassword;
        if ((user is null) != (password is null))
        {
            errors.Add(new(user is null ? CheckerOptionKeys.Username : CheckerOptionKeys.Password, "is required: SASL needs both Username and Password"));
        }

        var mechanism = ParseMechanism(endpoint.GetOption(KafkaOptionKeys.SaslMechanism), errors);
        if (mechanism is null && user is not null && !errors.Any(e => e.Field == KafkaOptionKeys.SaslMechanism))
        {
            errors.Add(new(KafkaOptionKeys.SaslMechanism, $"is required with credentials: {Mechanisms}"));
        }
        else if (mechanism is not null && user is null && password is null)
        {
            errors.Add(new(KafkaOptionKeys.SaslMechanism, "needs credentials: set Username and Password (or user info in the Url)"));
        }

        return new KafkaClientSettings(tls, skipVerify, mechanism, user, password);
    }

    /// <summary>An admin client configuration for one check of <paramref name="endpoint"/>, bootstrapping from it alone.</summary>
    public AdminClientConfig ClientConfig(EndpointSpec endpoint, TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var config = new AdminClientConfig
        {
            BootstrapServers = BootstrapServers.Format(endpoint.Host, endpoint.Port),
            ClientId = "dephealth",
            SecurityProtocol = (Tls, Mechanism is not null) switch
            {
                (true, true) => SecurityProtocol.SaslSsl,
                (true, false) => SecurityProtocol.Ssl,
                (false, true) => SecurityProtocol.SaslPlaintext,
                (false, false) => SecurityProtocol.Plaintext,
            },

            // Nothing of the connection may outlive the check's own timeout.
            SocketConnectionSetupTimeoutMs = Math.Max(milliseconds, 1000),
            LogConnectionClose = false,

            // librdkafka drops the bootstrap connection once it knows the brokers and connects to the one it picks;
            // its default 100 ms backoff would be most of a healthy check's time.
            ReconnectBackoffMs = 10,
        };
        if (Mechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism;
            config.SaslUsername = Username;
            config.SaslPassword = Password;
        }

        if (TlsSkipVerify)
        {
            config.EnableSslCertificateVerification = false;
            config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None;
        }

        return config;
    }

    private static bool Flag(EndpointSpec endpoint, string key, ICollection<EndpointValidationError> errors)
    {
        var value = endpoint.GetOption(key);
        if (value is null)
        {
            return false;
        }

        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        errors.Add(new(key, "must be true or false"));
        return false;
    }

    private static SaslMechanism? ParseMechanism(string? value, ICollection<EndpointValidationError> errors)
    {
        switch (value?.ToUpperInvariant())
        {
            case null:
                return null;
            case "PLAIN":
                return SaslMechanism.Plain;
            case "SCRAM-SHA-256":
                return SaslMechanism.ScramSha256;
            case "SCRAM-SHA-512":
                return SaslMechanism.ScramSha512;
            default:
                errors.Add(new(KafkaOptionKeys.SaslMechanism, $"is not a supported mechanism: must be {Mechanisms} (GSSAPI and OAUTHBEARER are not supported)"));
                return null;
        }
    }

    /// <summary>The URL's user name and password, unescaped; the URL must use the kafka scheme.</summary>
    private static (string? User, string? Password) UrlCredentials(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var url = endpoint.GetOption(CheckerOptionKeys.Url);
        var schemeEnd = url?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (url is null || schemeEnd < 0)
        {
            return (null, null);
        }

        if (!url[..schemeEnd].Equals(DependencyTypes.Kafka, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new(CheckerOptionKeys.Url, "must use the kafka scheme for type kafka"));
            return (null, null);
        }

        // As the core splits URLs: the query goes first, then the user info ends at the last '@'.
        var rest = url[(schemeEnd + 3)..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        rest = question >= 0 ? rest[..question] : rest;
        var at = rest.LastIndexOf('@');
        if (at < 0)
        {
            return (null, null);
        }

        var userInfo = rest[..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Unescape(userInfo), null)
            : (Unescape(userInfo[..colon]), Unescape(userInfo[(colon + 1)..]));
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

    /// <summary>Never prints the credentials.</summary>
    public override string ToString() =>
        $"KafkaClientSettings {{ Tls = {Tls}, TlsSkipVerify = {TlsSkipVerify}, Mechanism = {Mechanism?.ToString() ?? "none"} }}";
}
