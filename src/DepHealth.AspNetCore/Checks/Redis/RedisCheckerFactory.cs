namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>Creates a <see cref="RedisChecker"/> per endpoint from its options.</summary>
internal sealed class RedisCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.Tls, CheckerOptionKeys.TlsSkipVerify];

    public string Type => DependencyTypes.Redis;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        RedisCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = RedisCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : new RedisChecker(settings);
    }
}
