namespace DepHealth.AspNetCore.Checks.Tcp;

/// <summary>Creates <see cref="TcpChecker"/>s; TCP has no options.</summary>
internal sealed class TcpCheckerFactory : DependencyCheckerFactory<TcpChecker>
{
    public override IReadOnlyList<string> OptionKeys { get; } = [];

    public override string Type => DependencyTypes.Tcp;

    protected override TcpChecker Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => TcpChecker.Instance;

    protected override IDependencyChecker Create(EndpointSpec endpoint, TcpChecker settings, IServiceProvider services) => settings;
}
