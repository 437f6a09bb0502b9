using MySqlConnector;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// Type <c>mysql</c> from configuration: a standalone <c>SELECT 1</c> (or <c>Query</c>) over a fresh,
/// non-pooled connection to the endpoint's own host and port.
/// </summary>
internal sealed class MySqlCheckerFactory : DependencyCheckerFactory<MySqlConnectionStringBuilder>
{
    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.Username, CheckerOptionKeys.Password, CheckerOptionKeys.Database, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.Query];

    public override string Type => DependencyTypes.MySql;

    protected override MySqlConnectionStringBuilder Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => MySqlCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, MySqlConnectionStringBuilder settings, IServiceProvider services)
    {
        var global = CheckTimeouts.Global(services);
        var connectionString = MySqlCheckerSettings.ForEndpoint(settings, endpoint, CheckTimeouts.Of(endpoint, global));
        return MySqlChecker.ForConnections(() => new MySqlConnection(connectionString), global);
    }
}
