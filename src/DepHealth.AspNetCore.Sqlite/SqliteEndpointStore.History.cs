using DepHealth.AspNetCore.Registry;
using Microsoft.Data.Sqlite;

namespace DepHealth.AspNetCore.Sqlite;

/// <summary>
/// Each endpoint's kept results, in a table of their own beside the endpoints: one row per key holding the bytes the core
/// encoded. Rows of configuration endpoints are kept too, so the table is not tied to the endpoints table. Written in
/// batches (one transaction per save), so it shares the file, the connection and the lock with the registry's changes.
/// </summary>
internal sealed partial class SqliteEndpointStore : IEndpointStateStore
{
    private const string CreateStateTable =
        "CREATE TABLE IF NOT EXISTS endpoint_state (dependency TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, "
        + "state BLOB NOT NULL, PRIMARY KEY (dependency, host, port)) WITHOUT ROWID";

    private bool _stateTableReady;

    public async Task<IReadOnlyDictionary<EndpointKey, byte[]>> LoadStatesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenStateAsync(cancellationToken);
            var states = new Dictionary<EndpointKey, byte[]>();
            await using var select = Command(connection, "SELECT dependency, host, port, state FROM endpoint_state");
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                states[new EndpointKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2))] = (byte[])reader.GetValue(3);
            }

            return states;
        }
        catch (SqliteException exception)
        {
            throw new RegistryStoreUnavailableException($"registry store unavailable: {Description}: {exception.Message}", exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SaveStatesAsync(IReadOnlyList<KeyValuePair<EndpointKey, byte[]>> saved, IReadOnlyList<EndpointKey> removed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenStateAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);

            // One prepared statement per kind, its parameters rebound per row: 10,000 rows cost one parse each.
            await using var upsert = Command(
                connection,
                "INSERT INTO endpoint_state (dependency, host, port, state) VALUES ($d, $h, $p, $s) "
                + "ON CONFLICT (dependency, host, port) DO UPDATE SET state = excluded.state",
                transaction);
            var (dependency, host, port) = KeyParameters(upsert);
            var state = upsert.Parameters.Add("$s", SqliteType.Blob);
            foreach (var (key, bytes) in saved)
            {
                (dependency.Value, host.Value, port.Value, state.Value) = (key.Dependency, key.Host, key.Port, bytes);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var delete = Command(connection, "DELETE FROM endpoint_state WHERE dependency = $d AND host = $h AND port = $p", transaction);
            (dependency, host, port) = KeyParameters(delete);
            foreach (var key in removed)
            {
                (dependency.Value, host.Value, port.Value) = (key.Dependency, key.Host, key.Port);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw new RegistryStoreUnavailableException($"registry store unavailable: {Description}: {exception.Message}", exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static (SqliteParameter Dependency, SqliteParameter Host, SqliteParameter Port) KeyParameters(SqliteCommand command) =>
        (command.Parameters.Add("$d", SqliteType.Text), command.Parameters.Add("$h", SqliteType.Text), command.Parameters.Add("$p", SqliteType.Integer));

    /// <summary>The connection, with the state table created on first use (a file of an earlier version has none).</summary>
    private async Task<SqliteConnection> OpenStateAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        if (!_stateTableReady)
        {
            await ExecuteAsync(connection, CreateStateTable, cancellationToken);
            _stateTableReady = true;
        }

        return connection;
    }
}
