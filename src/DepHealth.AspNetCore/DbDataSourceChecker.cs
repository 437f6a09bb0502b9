using System.Data.Common;

namespace DepHealth.AspNetCore;

/// <summary>
/// Pool mode for any ADO.NET driver with a <see cref="DbDataSource"/>: borrows a connection from the application's
/// data source, so a check also fails when the pool is exhausted.
/// </summary>
public sealed class DbDataSourceChecker(DbDataSource dataSource, Func<Exception, string?>? classify = null) : IDependencyChecker
{
    /// <inheritdoc />
    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) =>
        SqlCheck.RunAsync(
            async ct => await dataSource.OpenConnectionAsync(ct),
            SqlCheck.QueryOf(endpoint),
            classify,
            cancellationToken);
}
