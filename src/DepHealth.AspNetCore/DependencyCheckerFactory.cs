namespace DepHealth.AspNetCore;

/// <summary>
/// The usual shape of an <see cref="IDependencyCheckerFactory"/>: parse an endpoint's options into settings once, report
/// every invalid or unknown option as a validation error, and create the checker from valid settings only.
/// </summary>
/// <typeparam name="TSettings">What the checker needs, parsed from the endpoint's options.</typeparam>
public abstract class DependencyCheckerFactory<TSettings> : IDependencyCheckerFactory
{
    /// <inheritdoc />
    public abstract string Type { get; }

    /// <summary>
    /// The option keys the checker reads, besides <c>Url</c> and <c>ConnectionString</c>; any other key is an error
    /// rather than a silently ignored typo. A key ending in ':' is a prefix, as <c>Headers:</c> for <c>Headers:&lt;name&gt;</c>.
    /// </summary>
    public abstract IReadOnlyList<string> OptionKeys { get; }

    /// <inheritdoc />
    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(errors);
        ValidateKeys(endpoint, errors);
        Parse(endpoint, errors);
    }

    /// <inheritdoc />
    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services) =>
        Create(endpoint, ParseValid(endpoint), services);

    /// <summary>Reads the settings; adds an error naming the key and the rule for every invalid option.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="errors">Receives one error per invalid option.</param>
    protected abstract TSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors);

    /// <summary>Creates the checker from settings <see cref="Parse"/> found valid.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="settings">Its settings.</param>
    /// <param name="services">The application's services.</param>
    protected abstract IDependencyChecker Create(EndpointSpec endpoint, TSettings settings, IServiceProvider services);

    /// <summary>The settings, or <see cref="EndpointValidationException"/> with every error.</summary>
    /// <param name="endpoint">The endpoint.</param>
    protected TSettings ParseValid(EndpointSpec endpoint)
    {
        var errors = new List<EndpointValidationError>();
        ValidateKeys(endpoint, errors);
        var settings = Parse(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : settings;
    }

    private void ValidateKeys(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        foreach (var key in endpoint.Options.Keys)
        {
            if (key.Equals(CheckerOptionKeys.Url, StringComparison.OrdinalIgnoreCase)
                || key.Equals(CheckerOptionKeys.ConnectionString, StringComparison.OrdinalIgnoreCase)
                || OptionKeys.Any(k => k.EndsWith(':')
                    ? key.Length > k.Length && key.StartsWith(k, StringComparison.OrdinalIgnoreCase)
                    : key.Equals(k, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var known = string.Join(", ", OptionKeys.Select(k => k.EndsWith(':') ? k + "<name>" : k).Prepend(CheckerOptionKeys.ConnectionString).Prepend(CheckerOptionKeys.Url));
            errors.Add(new(key, $"'{key}' is not an option of type {Type} (known: {known})"));
        }
    }
}
