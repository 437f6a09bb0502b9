using MySqlConnector;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// Type <c>mysql</c> from configuration: a standalone <c>SELECT 1</c> (or <c>Query</c>) over a fresh,
/// non-pooled connection to the endpoint's own host and port.
/// </summary>
internal sealed class MySqlCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.Query];

    public string Type => DependencyTypes.MySql;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        MySqlCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = MySqlCheckerSettings.Parse(endpoint, errors);
        if (errors.Count > 0)
        {
            throw new EndpointValidationException(errors);
        }

        var global = CheckTimeouts.Global(services);
        var connectionString = MySqlCheckerSettings.ForEndpoint(settings, endpoint, CheckTimeouts.Of(endpoint, global));
        return MySqlChecker.ForConnections(() => new MySqlConnection(connectionString), global);
    }
}
