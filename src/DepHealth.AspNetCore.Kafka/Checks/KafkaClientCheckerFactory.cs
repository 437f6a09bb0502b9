namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// The <c>kafka</c> checker factory of this package: replaces the core's plaintext check with a metadata request
/// through Confluent.Kafka, with TLS and SASL PLAIN or SCRAM.
/// </summary>
internal sealed class KafkaClientCheckerFactory : IDependencyCheckerFactory
{
    public string Type => DependencyTypes.Kafka;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => KafkaClientSettings.Read(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = KafkaClientSettings.Read(endpoint, errors);
        return errors.Count > 0
            ? throw new EndpointValidationException(errors)
            : new KafkaMetadataChecker(settings, CheckTimeouts.For(services));
    }
}
