using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Checks.Grpc;

/// <summary>Creates a <see cref="GrpcChecker"/> per endpoint from its options.</summary>
internal sealed class GrpcCheckerFactory : DependencyCheckerFactory<GrpcCheckerSettings>, IHostPolicyCheckerFactory
{
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.ServiceName, CheckerOptionKeys.Metadata + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.GrpcAuthority, CheckerOptionKeys.Tls, CheckerOptionKeys.TlsSkipVerify];

    public override string Type => DependencyTypes.Grpc;

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy) => new GrpcChecker(ParseValid(endpoint), policy);

    protected override GrpcCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => GrpcCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, GrpcCheckerSettings settings, IServiceProvider services) => new GrpcChecker(settings);
}
