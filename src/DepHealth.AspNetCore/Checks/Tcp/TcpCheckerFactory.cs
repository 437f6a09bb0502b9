namespace DepHealth.AspNetCore.Checks.Tcp;

/// <summary>Creates <see cref="TcpChecker"/>s; TCP has no options.</summary>
internal sealed class TcpCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    public IReadOnlyList<string> OptionKeys { get; } = [];

    public string Type => DependencyTypes.Tcp;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
    }

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services) => TcpChecker.Instance;
}
