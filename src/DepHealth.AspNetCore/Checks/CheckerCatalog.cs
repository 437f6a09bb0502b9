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
        if (spec.CheckerFactory is not null || !DependencyTypes.IsKnown(spec.Type))
        {
            return;
        }

        if (!_factories.TryGetValue(spec.Type, out var factory))
        {
            var package = DependencyTypes.SatellitePackage(spec.Type);
            errors.Add(new("Type", package is null
                ? $"no checker is registered for type '{spec.Type}'"
                : $"type '{spec.Type}' needs the package {package}: reference it and call its registration method (for example builder.Services.AddDependencyHealth(...).Add{package[(package.LastIndexOf('.') + 1)..]}Checks())"));
            return;
        }

        factory.Validate(spec, errors);
    }

    public IDependencyChecker Create(EndpointSpec spec, IServiceProvider services)
    {
        if (spec.CheckerFactory is not null)
        {
            return spec.CheckerFactory(services)
                ?? throw new EndpointValidationException([new("CheckerFactory", "returned no checker")]);
        }

        return _factories[spec.Type].Create(spec, services);
    }
}
