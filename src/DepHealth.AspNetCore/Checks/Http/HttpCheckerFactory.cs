using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>Creates an <see cref="HttpChecker"/> per endpoint from its options.</summary>
internal sealed class HttpCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys, IHostPolicyCheckerFactory
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.HealthPath, CheckerOptionKeys.Method, CheckerOptionKeys.Headers + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.HostHeader, CheckerOptionKeys.TlsSkipVerify];

    public string Type => DependencyTypes.Http;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        HttpCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services) => CreateChecker(endpoint, null);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy) => CreateChecker(endpoint, policy);

    private static HttpChecker CreateChecker(EndpointSpec endpoint, HostPolicy? policy)
    {
        var errors = new List<EndpointValidationError>();
        var settings = HttpCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : new HttpChecker(settings, policy);
    }
}
