using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Registry;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Validates the options at startup with the contract's rules; every message names the configuration key and
/// the rule it breaks.
/// </summary>
internal sealed class DependencyHealthOptionsValidator(CheckerCatalog catalog, IEnumerable<EndpointStoreRegistration>? stores = null)
    : IValidateOptions<DependencyHealthOptions>
{
    private const string Section = DependencyHealthOptions.SectionName;
    private static readonly TimeSpan MaxDebounce = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxMinInterval = TimeSpan.FromHours(1);
    private const int MaxHistorySize = 10_000;
    private const int MaxFailedAuthenticationLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, DependencyHealthOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }

    /// <summary>Every error of the options, keys in configuration form (<c>DependencyHealth:…</c>).</summary>
    public List<EndpointValidationError> Validate(DependencyHealthOptions options)
    {
        var errors = new List<EndpointValidationError>();
        ValidateName(options.Name, "Name", "DEPHEALTH_NAME", errors);
        ValidateName(options.Group, "Group", "DEPHEALTH_GROUP", errors);

        var global = new List<EndpointValidationError>();
        EndpointSpecValidator.ValidateSettings(
            new CheckSettings(options.CheckInterval, options.Timeout, options.InitialDelay, options.FailureThreshold, options.SuccessThreshold),
            global);
        EndpointSpecValidator.Range(global, "MaxConcurrentChecks", options.MaxConcurrentChecks, ContractLimits.MinConcurrentChecks, ContractLimits.MaxConcurrentChecks);
        EndpointSpecValidator.Range(global, "Reload:Debounce", options.Reload.Debounce, TimeSpan.Zero, MaxDebounce);
        EndpointSpecValidator.Range(global, "Reload:MinInterval", options.Reload.MinInterval, TimeSpan.Zero, MaxMinInterval);
        errors.AddRange(global.Select(e => e with { Field = $"{Section}:{e.Field}" }));
        HostPolicy.Create(options.Registry, errors);
        EndpointSpecValidator.Range(errors, $"{Section}:Registry:MutationsPerSecond", options.Registry.MutationsPerSecond, 0, 100_000);
        EndpointSpecValidator.Range(errors, $"{Section}:Registry:FailedAuthenticationLimit", options.Registry.FailedAuthenticationLimit, 0, MaxFailedAuthenticationLimit);
        EndpointSpecValidator.Range(errors, $"{Section}:Registry:FailedAuthenticationWindow", options.Registry.FailedAuthenticationWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        ValidateStore(options.Registry, errors);
        EndpointSpecValidator.Range(errors, $"{Section}:History:Size", options.History.Size, 1, MaxHistorySize);
        EndpointSpecValidator.Range(errors, $"{Section}:History:FlapThreshold", options.History.FlapThreshold, 1, MaxHistorySize);
        EndpointSpecValidator.Range(errors, $"{Section}:History:SaveInterval", options.History.SaveInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        foreach (var (source, message) in options.SourceErrors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            errors.Add(new($"{Section}:SourceErrors:{source}", message));
        }

        errors.AddRange(options.BindingErrors);
        errors.AddRange(options.EnvironmentErrors);

        var specs = DependencySpecBuilder.Build(options, errors);
        var perSpec = new List<EndpointValidationError>();
        foreach (var spec in specs)
        {
            perSpec.Clear();
            EndpointSpecValidator.Validate(spec, options, perSpec);
            catalog.Validate(spec, perSpec);
            foreach (var error in perSpec)
            {
                errors.Add(error with { Field = $"{Section}:Dependencies:{spec.Dependency}:{error.Field}" });
            }
        }

        return errors.Distinct().ToList();
    }

    private void ValidateStore(DependencyRegistryOptions registry, List<EndpointValidationError> errors)
    {
        // The stores are what the application registered (AddRegistryStore); the core knows none by name.
        var store = registry.Store ?? string.Empty;
        var registered = (stores ?? []).Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Prepend(EndpointStoreHolder.Memory).ToList();
        if (!registered.Contains(store, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new($"{Section}:Registry:Store", $"'{store}' is not a registered registry store: must be one of {string.Join(", ", registered)} (a store package registers its store, for example with AddSqliteRegistryStore())"));
        }
    }

    private static void ValidateName(string? value, string key, string variable, List<EndpointValidationError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new($"{Section}:{key}", $"is required: set it in options or configuration, or the environment variable {variable}"));
        }
        else if (!EndpointSpecValidator.IsValidName(value))
        {
            errors.Add(new($"{Section}:{key}", $"'{value}' {EndpointSpecValidator.NameRule}"));
        }
    }
}
