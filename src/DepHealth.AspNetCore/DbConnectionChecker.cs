using System.Data.Common;

namespace DepHealth.AspNetCore;

/// <summary>
/// ADO.NET check over a connection factory: each check creates a connection, opens it, runs the query and disposes it.
/// With the application's connection string the driver's own pool serves it (pool mode for drivers without a
/// <see cref="DbDataSource"/>); standalone checkers pass a non-pooled connection.
/// </summary>
public sealed class DbConnectionChecker(Func<DbConnection> connectionFactory, Func<Exception, string?>? classify = null) : IDependencyChecker
{
    /// <inheritdoc />
    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) =>
        SqlCheck.RunAsync(OpenAsync, SqlCheck.QueryOf(endpoint), classify, cancellationToken);

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = connectionFactory()
            ?? throw new InvalidOperationException("The connection factory returned no connection.");
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
