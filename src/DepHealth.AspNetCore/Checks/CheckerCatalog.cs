namespace DepHealth.AspNetCore.Checks;

/// <summary>Finds the checker factory for a type and creates checkers; the one place that knows which types are available.</summary>
internal sealed class CheckerCatalog
{
    private readonly Dictionary<string, IDependencyCheckerFactory> _factories;

    public CheckerCatalog(IEnumerable<IDependencyCheckerFactory> factories)
    {
        _factories = new Dictionary<string, IDependencyCheckerFactory>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            // The last registration wins, so an application can replace a built-in checker.
            _factories[factory.Type] = factory;
        }
    }

    /// <summary>Adds errors for checker options, or for a type whose package is not referenced.</summary>
    public void Validate(EndpointSpec spec, List<EndpointValidationError> errors)
    {
        if (spec.CheckerFactory is not null || !DependencyTypes.IsWellFormed(spec.Type))
        {
            return;
        }

        if (!_factories.TryGetValue(spec.Type, out var factory))
        {
            // The core names no package: docs/dependency-types.md lists which one serves each type.
            errors.Add(new("Type", $"no checker is registered for type '{spec.Type}': reference the package that serves it and call its registration method (docs/dependency-types.md lists them)"));
            return;
        }

        try
        {
            factory.Validate(spec, errors);
        }
#pragma warning disable CA1031 // A factory that throws on an option is a validation error, never a 500 or a crash at startup.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // The exception's message may quote the value (a secret); only its type is named.
            errors.Add(new("Type", $"the {spec.Type} checker could not read the options ({exception.GetType().Name})"));
        }
    }

    /// <summary>Creates the checker; with a <paramref name="policy"/>, one that holds its redirects and connections to it where the type can.</summary>
    public IDependencyChecker Create(EndpointSpec spec, IServiceProvider services, Addressing.HostPolicy? policy = null)
    {
        if (spec.CheckerFactory is not null)
        {
            return spec.CheckerFactory(services)
                ?? throw new EndpointValidationException([new("CheckerFactory", "returned no checker")]);
        }

        var factory = _factories[spec.Type];
        return policy is not null && factory is IHostPolicyCheckerFactory restricted
            ? restricted.Create(spec, services, policy)
            : factory.Create(spec, services);
    }
}
