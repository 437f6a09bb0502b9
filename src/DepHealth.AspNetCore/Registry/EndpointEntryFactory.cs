using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Validates specs as the registry does and creates an endpoint's entry with its new checker; a checker that never ran
/// is disposed here too. Refusals are audited under the operation that asked.
/// </summary>
internal sealed class EndpointEntryFactory
{
    private readonly CheckerCatalog _catalog;
    private readonly IServiceProvider _services;
    private readonly DependencyHealthOptions _options;
    private readonly HostPolicy _hostPolicy;
    private readonly RegistryAudit _audit;
    private long _generation;

    public EndpointEntryFactory(CheckerCatalog catalog, IServiceProvider services, IOptions<DependencyHealthOptions> options, RegistryAudit audit)
    {
        _catalog = catalog;
        _services = services;
        _options = options.Value;
        _hostPolicy = HostPolicy.Create(_options.Registry);
        _audit = audit;
    }

    /// <summary>The effective settings of a spec (nulls inherited from the global options).</summary>
    public CheckSettings Effective(EndpointSpec spec) => EndpointSpecValidator.Validate(spec, _options, []);

    /// <summary>Validates a spec as the registry would, without changing anything.</summary>
    public CheckSettings Validate(EndpointSpec spec, List<EndpointValidationError> errors)
    {
        var settings = EndpointSpecValidator.Validate(spec, _options, errors);
        _catalog.Validate(spec, errors);
        return settings;
    }

    /// <summary>Validates a spec, and a runtime change against the host policy too; audits and throws when invalid.</summary>
    /// <exception cref="EndpointValidationException">The spec is invalid.</exception>
    public CheckSettings ValidateOrThrow(EndpointSpec spec, RegistryOperation operation)
    {
        var errors = new List<EndpointValidationError>();
        var settings = Validate(spec, errors);
        if (operation.Change.Source == EndpointSource.Runtime)
        {
            _hostPolicy.Validate(spec, errors);
            if (spec.GetOption(CheckerOptionKeys.HttpClientName) is not null)
            {
                // Not even with an empty host policy: the named client would lend the application's credentials to any host.
                errors.Add(new(CheckerOptionKeys.HttpClientName, Checks.Http.HttpCheckerFactory.RuntimeClientRule));
            }
        }

        if (errors.Count > 0)
        {
            _audit.Rejected(operation, RegistryChangeCounter.Invalid, string.Join("; ", errors));
            throw new EndpointValidationException(errors);
        }

        return settings;
    }

    /// <summary>
    /// The entry of a validated spec with a new checker; nothing is registered yet. The entry's source and readiness
    /// gate are the operation's change's; <paramref name="restricted"/> holds its checker to the host policy.
    /// </summary>
    /// <exception cref="EndpointValidationException">The checker could not be created (audited).</exception>
    public (EndpointEntry Entry, bool OwnsChecker) Create(EndpointSpec spec, CheckSettings settings, RegistryOperation operation, bool restricted)
    {
        IDependencyChecker checker;
        try
        {
            // A runtime change's checker follows redirects and connects only where the host policy allows.
            checker = _catalog.Create(spec, _services, restricted && !_hostPolicy.IsEmpty ? _hostPolicy : null);
        }
        catch (EndpointValidationException exception)
        {
            _audit.Rejected(operation, RegistryChangeCounter.Invalid, string.Join("; ", exception.Errors));
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var reason = SecretScrubber.For(spec).Scrub(exception.Message);
            _audit.Rejected(operation, RegistryChangeCounter.Failed, reason);
            throw new EndpointValidationException([new EndpointValidationError("Type", $"the checker could not be created: {reason}")]);
        }

        var change = operation.Change;
        var entry = new EndpointEntry(
            spec,
            settings,
            change.Source,
            change.GatesReadiness,
            checker,
            SeriesLabels.Create(_options.Name!, _options.Group!, spec),
            Interlocked.Increment(ref _generation),
            _options.History.Size,
            _options.History.FlapThreshold);
        return (entry, spec.CheckerFactory is null);
    }

    /// <summary>Disposes the checker of an entry that was never scheduled, when the registry created it.</summary>
    public static async ValueTask DisposeUnusedAsync(EndpointEntry entry, bool ownsChecker)
    {
        switch (ownsChecker ? entry.Checker : null)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
