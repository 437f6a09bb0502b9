using Npgsql;

namespace DepHealth.AspNetCore.Checks.Postgres;

/// <summary>
/// Type <c>postgres</c> from configuration: a standalone <c>SELECT 1</c> (or <c>Query</c>) over a fresh,
/// non-pooled connection to the endpoint's own host and port.
/// </summary>
internal sealed class PostgresCheckerFactory : DependencyCheckerFactory<NpgsqlConnectionStringBuilder>
{
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.Query];

    public override string Type => DependencyTypes.Postgres;

    protected override NpgsqlConnectionStringBuilder Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => PostgresCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, NpgsqlConnectionStringBuilder settings, IServiceProvider services)
    {
        var connectionString = PostgresCheckerSettings.ForEndpoint(settings, endpoint, CheckTimeouts.Of(endpoint, CheckTimeouts.Global(services)));
        return new DbConnectionChecker(() => new NpgsqlConnection(connectionString), PostgresErrors.Classify);
    }
}
