namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>Creates a <see cref="RedisChecker"/> per endpoint from its options.</summary>
internal sealed class RedisCheckerFactory : DependencyCheckerFactory<RedisCheckerSettings>
{
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.Tls, CheckerOptionKeys.TlsSkipVerify];

    public override string Type => DependencyTypes.Redis;

    protected override RedisCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => RedisCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, RedisCheckerSettings settings, IServiceProvider services) => new RedisChecker(settings);
}
