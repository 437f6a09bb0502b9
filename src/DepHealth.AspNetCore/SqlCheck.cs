using System.Data.Common;

namespace DepHealth.AspNetCore;

/// <summary>
/// The SQL check shared by every ADO.NET checker: open a connection, run the query (default <c>SELECT 1</c>),
/// dispose the connection. Driver errors are classified by an optional driver-specific function.
/// </summary>
public static class SqlCheck
{
    /// <summary>The query when the endpoint sets none.</summary>
    public const string DefaultQuery = "SELECT 1";

    /// <summary>The endpoint's <c>Query</c> option, else <c>SELECT 1</c>.</summary>
    public static string QueryOf(EndpointSpec endpoint) => endpoint.GetOption(CheckerOptionKeys.Query) ?? DefaultQuery;

    /// <summary>Adds an error when the <c>Query</c> option is present but blank.</summary>
    public static void ValidateQuery(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        if (endpoint.GetOption(CheckerOptionKeys.Query) is { } query && string.IsNullOrWhiteSpace(query))
        {
            errors.Add(new(CheckerOptionKeys.Query, "must not be empty: leave it unset for SELECT 1"));
        }
    }

    /// <summary>Opens a connection with <paramref name="open"/>, runs <paramref name="query"/> and disposes the connection.</summary>
    /// <param name="open">Returns an open connection; the check disposes it.</param>
    /// <param name="query">The query; its result is not inspected.</param>
    /// <param name="classify">Maps a driver error to a contract detail, or null to leave it to the scheduler's classifier.</param>
    /// <param name="cancellationToken">Cancelled at the check's timeout.</param>
    internal static async ValueTask<CheckResult> RunAsync(
        Func<CancellationToken, Task<DbConnection>> open,
        string query,
        Func<Exception, string?>? classify,
        CancellationToken cancellationToken)
    {
        // Run on the thread pool and wait with the token: an ADO.NET driver's async methods may block, and such a
        // call must not hold the scheduler past cancellation; it ends by the driver's own timeouts.
        var work = Task.Run(() => OpenAndQueryAsync(open, query, cancellationToken), CancellationToken.None);
        try
        {
            await work.WaitAsync(cancellationToken);
            return CheckResult.Healthy;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && classify?.Invoke(e) is { } detail)
        {
            return CheckResult.Unhealthy(detail, DescribeFailure(detail), e);
        }
        catch (System.Data.Common.DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.FromException(e);
        }
        finally
        {
            if (!work.IsCompleted)
            {
                // Observe the outcome of the abandoned call.
                _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>A message for a classified failure; never includes driver text, which could echo connection details.</summary>
    public static string DescribeFailure(string detail) => detail switch
    {
        CheckDetails.AuthError => "The database rejected the credentials or denied access.",
        CheckDetails.PoolExhausted => "The application's connection pool has no free connection.",
        CheckDetails.ConnectionRefused => "The database refused the connection.",
        CheckDetails.TlsError => "The TLS handshake with the database failed.",
        _ => $"The database check failed ({detail}).",
    };

    private static async Task OpenAndQueryAsync(
        Func<CancellationToken, Task<DbConnection>> open, string query, CancellationToken cancellationToken)
    {
        var connection = await open(cancellationToken);
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = query;
            await command.ExecuteScalarAsync(cancellationToken);
        }
    }
}
