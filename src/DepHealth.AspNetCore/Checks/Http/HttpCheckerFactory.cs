using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>Creates an <see cref="HttpChecker"/> per endpoint from its options.</summary>
internal sealed class HttpCheckerFactory : DependencyCheckerFactory<HttpCheckerSettings>, IHostPolicyCheckerFactory
{
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.HealthPath, CheckerOptionKeys.Method, CheckerOptionKeys.Headers + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.HostHeader, CheckerOptionKeys.TlsSkipVerify];

    public override string Type => DependencyTypes.Http;

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy) => new HttpChecker(ParseValid(endpoint), policy);

    protected override HttpCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => HttpCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, HttpCheckerSettings settings, IServiceProvider services) => new HttpChecker(settings);
}
