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

        if (factory is ICheckerOptionKeys known)
        {
            ValidateKeys(spec, known.OptionKeys, errors);
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

    /// <summary>An error for every option key that is neither the address nor one of <paramref name="keys"/>.</summary>
    private static void ValidateKeys(EndpointSpec spec, IReadOnlyList<string> keys, List<EndpointValidationError> errors)
    {
        foreach (var key in spec.Options.Keys)
        {
            if (key.Equals(CheckerOptionKeys.Url, StringComparison.OrdinalIgnoreCase)
                || key.Equals(CheckerOptionKeys.ConnectionString, StringComparison.OrdinalIgnoreCase)
                || keys.Any(k => k.EndsWith(':')
                    ? key.Length > k.Length && key.StartsWith(k, StringComparison.OrdinalIgnoreCase)
                    : key.Equals(k, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var known = string.Join(", ", keys.Select(k => k.EndsWith(':') ? k + "<name>" : k).Prepend(CheckerOptionKeys.ConnectionString).Prepend(CheckerOptionKeys.Url));
            errors.Add(new(key, $"'{key}' is not an option of type {spec.Type} (known: {known})"));
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
