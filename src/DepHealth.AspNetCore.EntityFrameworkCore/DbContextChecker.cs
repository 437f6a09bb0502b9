using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>
/// Pool mode through the application's context: each check gets a context as the application does, opens its
/// connection (from the provider's pool, so an exhausted pool fails the check), runs the query and closes it.
/// </summary>
/// <param name="services">The application's root services.</param>
/// <param name="globalTimeout">The check timeout of endpoints without their own.</param>
internal sealed class DbContextChecker<TContext>(IServiceProvider services, TimeSpan globalTimeout) : IDependencyChecker
    where TContext : DbContext
{
    public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) =>
        DatabaseCheck.RunAsync((opened, ct) => OpenAndQueryAsync(endpoint, opened, ct), endpoint, cancellationToken);

    private async Task OpenAndQueryAsync(EndpointSpec endpoint, Action opened, CancellationToken cancellationToken)
    {
        await using var lease = await DbContextLease<TContext>.CreateAsync(services, endpoint.Dependency, cancellationToken).ConfigureAwait(false);
        var database = lease.Context.Database;
        await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        opened();
        try
        {
            await DatabaseCheck.QueryAsync(database.GetDbConnection(), endpoint, endpoint.Timeout ?? globalTimeout).ConfigureAwait(false);
        }
        finally
        {
            await database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
