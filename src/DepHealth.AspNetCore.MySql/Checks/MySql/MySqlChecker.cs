using System.Net.Sockets;
using MySqlConnector;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// The MySQL check over MySqlConnector: open a connection (a fresh one, or one from the application's pool), run the
/// query, dispose it. Fully asynchronous, so a hung server holds no thread, and the check ends at its token.
/// </summary>
/// <param name="open">Returns an open connection; the check disposes it.</param>
/// <param name="globalTimeout">The check timeout of endpoints without their own.</param>
internal sealed class MySqlChecker(Func<CancellationToken, Task<MySqlConnection>> open, TimeSpan globalTimeout) : IDependencyChecker
{
    /// <summary>Checks over connections from <paramref name="create"/>: new and closed; each is opened, then disposed.</summary>
    public static MySqlChecker ForConnections(Func<MySqlConnection> create, TimeSpan globalTimeout) =>
        new(async cancellationToken =>
        {
            var connection = create() ?? throw new InvalidOperationException("The connection factory returned no connection.");
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
        }, globalTimeout);

    /// <summary>Checks over connections borrowed from the application's data source (pool mode).</summary>
    public static MySqlChecker ForDataSource(MySqlDataSource dataSource, TimeSpan globalTimeout) =>
        new(async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken), globalTimeout);

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var commandTimeout = CheckTimeouts.WholeSeconds(CheckTimeouts.Of(endpoint, globalTimeout));
        var work = OpenAndQueryAsync(SqlCheck.QueryOf(endpoint), commandTimeout, cancellationToken);
        try
        {
            await work.WaitAsync(cancellationToken);
            return CheckResult.Healthy;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && MySqlErrors.Classify(e) is { } detail)
        {
            return CheckResult.Unhealthy(detail, SqlCheck.DescribeFailure(detail), e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && MySqlErrors.HidesSocketError(e))
        {
            return await ProbeAsync(endpoint, cancellationToken) is { } detail
                ? CheckResult.Unhealthy(detail, SqlCheck.DescribeFailure(detail), e)
                : CheckResult.FromException(e);
        }
        finally
        {
            if (!work.IsCompleted)
            {
                // The abandoned call ends by the driver's connect and command timeouts; observe its outcome.
                _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One plain TCP connect to the endpoint: the socket error of a failed one, or null.</summary>
    private static async Task<string?> ProbeAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return null;
        }
        catch (SocketException e)
        {
            var detail = CheckResult.FromException(e).Detail;
            return detail == CheckDetails.Error ? null : detail;
        }
    }

    private async Task OpenAndQueryAsync(string query, int commandTimeout, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        command.CommandTimeout = commandTimeout;

        // Not the check's token: MySqlConnector cancels a running query by opening a second connection for KILL QUERY
        // synchronously on the cancelling thread. The command timeout ends a query the check has abandoned.
        await command.ExecuteScalarAsync(CancellationToken.None);
    }
}
