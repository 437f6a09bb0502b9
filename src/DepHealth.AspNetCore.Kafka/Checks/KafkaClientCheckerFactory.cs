namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// The <c>kafka</c> checker factory of this package: replaces the core's plaintext check with a metadata request
/// through Confluent.Kafka, with TLS and SASL PLAIN or SCRAM.
/// </summary>
internal sealed class KafkaClientCheckerFactory : DependencyCheckerFactory<KafkaClientSettings>
{
    public override string Type => DependencyTypes.Kafka;

    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Tls, CheckerOptionKeys.TlsSkipVerify, KafkaOptionKeys.SaslMechanism, CheckerOptionKeys.Username, CheckerOptionKeys.Password];

    /// <summary>The check's timeout for an endpoint: its own, else the global one.</summary>
    public static Func<EndpointSpec, TimeSpan> Timeouts(IServiceProvider services)
    {
        var global = CheckTimeouts.Global(services);
        return endpoint => CheckTimeouts.Of(endpoint, global);
    }

    protected override KafkaClientSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        KafkaClientSettings.Read(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, KafkaClientSettings settings, IServiceProvider services) =>
        new KafkaMetadataChecker(settings, Timeouts(services));
}
