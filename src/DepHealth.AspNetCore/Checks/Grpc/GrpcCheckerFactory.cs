using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Grpc;

/// <summary>Creates a <see cref="GrpcChecker"/> per endpoint from its options.</summary>
internal sealed class GrpcCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys, IHostPolicyCheckerFactory
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.ServiceName, CheckerOptionKeys.Metadata + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.GrpcAuthority, CheckerOptionKeys.Tls, CheckerOptionKeys.TlsSkipVerify];

    public string Type => DependencyTypes.Grpc;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        GrpcCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services) => CreateChecker(endpoint, null);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy) => CreateChecker(endpoint, policy);

    private static GrpcChecker CreateChecker(EndpointSpec endpoint, HostPolicy? policy)
    {
        var errors = new List<EndpointValidationError>();
        var settings = GrpcCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : new GrpcChecker(settings, policy);
    }
}
