using DepHealth.AspNetCore.Checks.Sql;
using Npgsql;

namespace DepHealth.AspNetCore.Checks.Postgres;

/// <summary>
/// Type <c>postgres</c> from configuration: a standalone <c>SELECT 1</c> (or <c>Query</c>) over a fresh,
/// non-pooled connection to the endpoint's own host and port.
/// </summary>
internal sealed class PostgresCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.Query];

    public string Type => DependencyTypes.Postgres;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        PostgresCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = PostgresCheckerSettings.Parse(endpoint, errors);
        if (errors.Count > 0)
        {
            throw new EndpointValidationException(errors);
        }

        var connectionString = PostgresCheckerSettings.ForEndpoint(
            settings, endpoint, CheckTimeouts.Of(endpoint, CheckTimeouts.Global(services)));
        return new DbConnectionChecker(() => new NpgsqlConnection(connectionString), PostgresErrors.Classify);
    }
}
