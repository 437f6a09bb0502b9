using DepHealth.AspNetCore.Addressing;


namespace DepHealth.AspNetCore.Checks.Kafka;

/// <summary>
/// Creates <see cref="KafkaChecker"/>s. The built-in check speaks plaintext without SASL; options asking for TLS or
/// credentials are rejected rather than ignored, since the check could never pass against such a listener.
/// </summary>
internal sealed class KafkaCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    // Username, Password and Tls are known so that they get their own "not supported" rule rather than "unknown".
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Tls];

    public string Type => DependencyTypes.Kafka;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
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
    }

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        Validate(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : new KafkaChecker();
    }
}
