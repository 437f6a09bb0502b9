namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>Type <c>amqp</c> from configuration: a standalone connection and channel per check.</summary>
internal sealed class AmqpCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    // The vhost comes from the URL path.
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.TlsSkipVerify];

    public string Type => DependencyTypes.Amqp;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        AmqpCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = AmqpCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0
            ? throw new EndpointValidationException(errors)
            : new AmqpChecker(settings, CheckTimeouts.Global(services));
    }
}
