namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>Type <c>amqp</c> from configuration: a standalone connection and channel per check.</summary>
internal sealed class AmqpCheckerFactory : DependencyCheckerFactory<AmqpCheckerSettings>
{
    // The vhost comes from the URL path.
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.TlsSkipVerify];

    public override string Type => DependencyTypes.Amqp;

    protected override AmqpCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => AmqpCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, AmqpCheckerSettings settings, IServiceProvider services)
        => new AmqpChecker(settings, CheckTimeouts.Global(services));
}
