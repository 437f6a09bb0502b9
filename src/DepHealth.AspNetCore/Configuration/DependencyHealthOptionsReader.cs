using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Builds the options from the current configuration as <see cref="IOptionsFactory{TOptions}"/> does, but hands back
/// what is wrong as structured errors (key and rule) instead of an <see cref="OptionsValidationException"/> of text.
/// </summary>
internal sealed class DependencyHealthOptionsReader(
    IEnumerable<IConfigureOptions<DependencyHealthOptions>> setups,
    IEnumerable<IPostConfigureOptions<DependencyHealthOptions>> postConfigures,
    IEnumerable<IValidateOptions<DependencyHealthOptions>> validators)
{
    /// <summary>The options, or null with every error in <paramref name="errors"/>.</summary>
    public DependencyHealthOptions? Read(List<EndpointValidationError> errors)
    {
        DependencyHealthOptions options;
        try
        {
            // Validation is ours to run below, where its errors are still structured.
            options = new OptionsFactory<DependencyHealthOptions>(setups, postConfigures, []).Create(Options.DefaultName);
        }
#pragma warning disable CA1031 // Any failure to build the options is an error of the configuration, never of the caller.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            errors.Add(DependencyHealthConfigurationBinding.BindingError(exception));
            return null;
        }

        foreach (var validator in validators)
        {
            if (validator is DependencyHealthOptionsValidator own)
            {
                errors.AddRange(own.Validate(options));
            }
            else if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
            {
                // Another validator's failures are text without a key: reported under the section, never parsed.
                errors.AddRange((result.Failures ?? [result.FailureMessage]).Select(f => new EndpointValidationError(DependencyHealthOptions.SectionName, f)));
            }
        }

        return errors.Count == 0 ? options : null;
    }
}
