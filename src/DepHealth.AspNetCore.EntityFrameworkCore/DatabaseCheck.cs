using System.Data.Common;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>
/// One database check over any ADO.NET provider: run the open-and-query work, classify what it throws. The work calls
/// its <c>opened</c> callback once the connection is open; a failure before that may hide a socket error to probe.
/// </summary>
internal static class DatabaseCheck
{
    public const string DefaultQuery = "SELECT 1";

    /// <param name="work">Opens a connection, calls <c>opened</c>, runs the query and closes the connection.</param>
    /// <param name="endpoint">The endpoint checked; its host and port are probed when the provider hid why it could not connect.</param>
    /// <param name="cancellationToken">Cancelled at the check's timeout.</param>
    public static async ValueTask<CheckResult> RunAsync(
        Func<Action, CancellationToken, Task> work, EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var opened = false;

        // On the thread pool and awaited with the token: a provider's async call may block, and must not hold the
        // scheduler past cancellation. An abandoned call ends by the provider's connect and command timeouts.
        var running = Task.Run(() => work(() => opened = true, cancellationToken), CancellationToken.None);
        try
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            return CheckResult.Healthy;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DbContextErrors.Classify(e) is { } detail)
        {
            return CheckResult.Unhealthy(detail, DbContextErrors.Describe(detail), e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && !opened && IsServerType(endpoint.Type) && DbContextErrors.HidesSocketError(e))
        {
            return await SocketProbe.FailureAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false) is { } detail
                ? CheckResult.Unhealthy(detail, DbContextErrors.Describe(detail), e)
                : CheckResult.FromException(e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.FromException(e);
        }
        finally
        {
            if (!running.IsCompleted)
            {
                // Observe the outcome of the abandoned call.
                _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Runs the endpoint's <c>Query</c> option (default <c>SELECT 1</c>) on an open connection.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="endpoint">The endpoint checked.</param>
    /// <param name="timeout">The check's timeout: the command's, since the query runs uncancelled.</param>
    public static async Task QueryAsync(DbConnection connection, EndpointSpec endpoint, TimeSpan timeout)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = endpoint.GetOption(CheckerOptionKeys.Query) ?? DefaultQuery;
        command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);

        // Not the check's token: MySqlConnector cancels a running query by opening a second connection for KILL QUERY
        // synchronously on the cancelling thread. The command timeout ends a query the check has abandoned.
        await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Only a server's labels name something to probe; a SQLite context's labels are whatever the application chose.
    private static bool IsServerType(string type) => type is DependencyTypes.Postgres or DependencyTypes.MySql;
}
