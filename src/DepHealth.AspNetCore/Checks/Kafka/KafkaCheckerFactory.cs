

namespace DepHealth.AspNetCore.Checks.Kafka;

/// <summary>
/// Creates <see cref="KafkaChecker"/>s. The built-in check speaks plaintext without SASL; options asking for TLS or
/// credentials are rejected rather than ignored, since the check could never pass against such a listener.
/// </summary>
internal sealed class KafkaCheckerFactory : DependencyCheckerFactory<KafkaChecker>
{
    // Username, Password and Tls are known so that they get their own "not supported" rule rather than "unknown".
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Tls];

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
                errors.Add(new(CheckerOptionKeys.Url, "must not carry credentials: the kafka check does not support SASL (use a custom checker)"));
            }
        }

        if (endpoint.GetOption(CheckerOptionKeys.Username) is not null || endpoint.GetOption(CheckerOptionKeys.Password) is not null)
        {
            errors.Add(new(CheckerOptionKeys.Username, "is not supported: the kafka check does not support SASL (use a custom checker)"));
        }

        var tls = endpoint.GetOption(CheckerOptionKeys.Tls);
        if (tls is not null && !string.Equals(tls, "false", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new(CheckerOptionKeys.Tls, "is not supported: the kafka check speaks plaintext (use a custom checker for TLS listeners)"));
        }

        return new KafkaChecker();
    }

    protected override IDependencyChecker Create(EndpointSpec endpoint, KafkaChecker settings, IServiceProvider services) => settings;
}
