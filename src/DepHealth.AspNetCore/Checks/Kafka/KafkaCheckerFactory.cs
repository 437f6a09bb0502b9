

namespace DepHealth.AspNetCore.Checks.Kafka;

/// <summary>
/// Creates <see cref="KafkaChecker"/>s. The built-in check speaks plaintext without SASL; options asking for TLS or
/// credentials are rejected rather than ignored, since the check could never pass against such a listener. The
/// kafka satellite package replaces this factory with one that speaks TLS and SASL.
/// </summary>
internal sealed class KafkaCheckerFactory : DependencyCheckerFactory<KafkaChecker>
{
    // Known so that asking for SASL gets its own rule rather than "unknown option".
    private const string SaslMechanism = "SaslMechanism";

    // The core names no package: docs/dependency-types.md says which one serves kafka with TLS and SASL.
    private const string Satellite = "register a kafka checker factory that speaks TLS and SASL, see docs/dependency-types.md";

    // Username, Password, SaslMechanism and Tls are known so that they get their own "not supported" rule rather than "unknown".
    public override IReadOnlyList<string> OptionKeys { get; } =
        [CheckerOptionKeys.Username, CheckerOptionKeys.Password, SaslMechanism, CheckerOptionKeys.Tls];

    public override string Type => DependencyTypes.Kafka;

    protected override KafkaChecker Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var url = endpoint.GetOption(CheckerOptionKeys.Url);
        if (url is not null)
        {
            var parsed = UrlParts.Parse(url);
            if (parsed.Scheme != "kafka")
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the kafka scheme for type kafka"));
            }

            if (parsed.UserName is not null)
            {
                errors.Add(new(CheckerOptionKeys.Url, $"must not carry credentials: the built-in kafka check does not support SASL ({Satellite})"));
            }
        }

        if (endpoint.GetOption(CheckerOptionKeys.Username) is not null || endpoint.GetOption(CheckerOptionKeys.Password) is not null)
        {
            errors.Add(new(CheckerOptionKeys.Username, $"is not supported: the built-in kafka check does not support SASL ({Satellite})"));
        }

        if (endpoint.GetOption(SaslMechanism) is not null)
        {
            errors.Add(new(SaslMechanism, $"is not supported: the built-in kafka check does not support SASL ({Satellite})"));
        }

        var tls = endpoint.GetOption(CheckerOptionKeys.Tls);
        if (tls is not null && !string.Equals(tls, "false", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new(CheckerOptionKeys.Tls, $"is not supported: the built-in kafka check speaks plaintext ({Satellite})"));
        }

        return new KafkaChecker();
    }

    protected override IDependencyChecker Create(EndpointSpec endpoint, KafkaChecker settings, IServiceProvider services) => settings;
}
