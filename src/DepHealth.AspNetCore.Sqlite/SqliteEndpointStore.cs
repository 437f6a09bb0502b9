// Over 300 lines on purpose: the store contract's operations as SQLite transactions, which share one connection, lock and schema.
using System.Runtime.CompilerServices;
using DepHealth.AspNetCore.Registry;
using Microsoft.Data.Sqlite;

namespace DepHealth.AspNetCore.Sqlite;

/// <summary>
/// Runtime endpoints in one SQLite file: a row per endpoint holding its spec as JSON, and a store version that every
/// change increments in the same transaction. WAL with synchronous FULL makes each committed change durable before
/// the registry answers, and a process killed mid-write leaves the last committed state. A file that cannot be read
/// or fails its integrity check stops startup with a message naming it; it is never changed or deleted then.
/// </summary>
internal sealed partial class SqliteEndpointStore : IEndpointStore
{
    private const int SchemaVersion = 1;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _path;
    private SqliteConnection? _connection;

    public SqliteEndpointStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    public string Description => $"sqlite {_path}";

    public async Task<EndpointStoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            var endpoints = new List<StoredEndpoint>();
            await using var select = Command(connection, "SELECT dependency, host, port, spec, version FROM endpoints ORDER BY dependency, host, port");
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = new EndpointKey(reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
                    var errors = new List<EndpointValidationError>();
                    var spec = EndpointStoreCodec.Decode(reader.GetString(3), errors);
                    if (spec is null || spec.Key != key)
                    {
                        throw Unreadable($"the row of {key} does not hold that endpoint ({(errors.Count > 0 ? string.Join("; ", errors) : $"it holds {spec?.Key}")})");
                    }

                    endpoints.Add(new StoredEndpoint(spec, reader.GetInt64(4)));
                }
            }

            return new EndpointStoreSnapshot(endpoints, await VersionAsync(connection, null, cancellationToken));
        }
        catch (SqliteException exception)
        {
            throw Unreadable(exception.Message, exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<long> AddAsync(EndpointSpec spec, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var json = EndpointStoreCodec.Encode(spec);
            if (await ReadRowAsync(connection, transaction, spec.Key, cancellationToken) is { } existing)
            {
                var errors = new List<EndpointValidationError>();
                return EndpointStoreCodec.Decode(existing.Json, errors) is { } stored && stored.Equals(spec)
                    ? existing.Version
                    : throw new EndpointConflictException(spec.Key);
            }

            var version = await NextVersionAsync(connection, transaction, cancellationToken);
            await UpsertAsync(connection, transaction, spec.Key, json, version, cancellationToken);
            return version;
        }, cancellationToken);

    public Task<long> ReplaceAsync(EndpointKey oldKey, long expectedVersion, EndpointSpec spec, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var json = EndpointStoreCodec.Encode(spec);
            var old = await ReadRowAsync(connection, transaction, oldKey, cancellationToken);
            if (old is null || old.Value.Version != expectedVersion)
            {
                throw new EndpointConflictException($"Endpoint '{oldKey}' changed in the registry store since it was read; read it again and retry.");
            }

            if (spec.Key != oldKey)
            {
                if (await ReadRowAsync(connection, transaction, spec.Key, cancellationToken) is not null)
                {
                    throw new EndpointConflictException(spec.Key);
                }

                await DeleteRowAsync(connection, transaction, oldKey, cancellationToken);
            }

            var version = await NextVersionAsync(connection, transaction, cancellationToken);
            await UpsertAsync(connection, transaction, spec.Key, json, version, cancellationToken);
            return version;
        }, cancellationToken);

    public Task<long> RemoveAsync(EndpointKey key, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await DeleteRowAsync(connection, transaction, key, cancellationToken) > 0
                ? await NextVersionAsync(connection, transaction, cancellationToken)
                : await VersionAsync(connection, transaction, cancellationToken),
            cancellationToken);

    /// <summary>Nobody else writes the file, so nothing arrives; only a store never loaded is read here, once.</summary>
    public async IAsyncEnumerable<EndpointStoreChange> WatchAsync(long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (afterVersion == 0 && _connection is null)
        {
            yield return EndpointStoreChange.Reset(await LoadAsync(cancellationToken));
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string text, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        return command;
    }

    private static async Task<(string Json, long Version)?> ReadRowAsync(
        SqliteConnection connection, SqliteTransaction transaction, EndpointKey key, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, "SELECT spec, version FROM endpoints WHERE dependency = $d AND host = $h AND port = $p", transaction);
        AddKey(select, key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private static async Task UpsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, EndpointKey key, string json, long version, CancellationToken cancellationToken)
    {
        await using var upsert = Command(
            connection,
            "INSERT INTO endpoints (dependency, host, port, spec, version) VALUES ($d, $h, $p, $s, $v) "
            + "ON CONFLICT (dependency, host, port) DO UPDATE SET spec = excluded.spec, version = excluded.version",
            transaction);
        AddKey(upsert, key);
        upsert.Parameters.AddWithValue("$s", json);
        upsert.Parameters.AddWithValue("$v", version);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> DeleteRowAsync(SqliteConnection connection, SqliteTransaction transaction, EndpointKey key, CancellationToken cancellationToken)
    {
        await using var delete = Command(connection, "DELETE FROM endpoints WHERE dependency = $d AND host = $h AND port = $p", transaction);
        AddKey(delete, key);
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> VersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, "SELECT version FROM store_version WHERE id = 1", transaction);
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> NextVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var update = Command(connection, "UPDATE store_version SET version = version + 1 WHERE id = 1 RETURNING version", transaction);
        return Convert.ToInt64(await update.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddKey(SqliteCommand command, EndpointKey key)
    {
        command.Parameters.AddWithValue("$d", key.Dependency);
        command.Parameters.AddWithValue("$h", key.Host);
        command.Parameters.AddWithValue("$p", key.Port);
    }

    /// <summary>Runs one change in its own immediate transaction; a failure to write is the store being unavailable.</summary>
    private async Task<long> WriteAsync(Func<SqliteConnection, SqliteTransaction, Task<long>> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            // Immediate (not deferred): the write lock is taken at the start, so two writers never deadlock on an upgrade.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var version = await change(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return version;
        }
        catch (SqliteException exception)
        {
            throw new RegistryStoreUnavailableException($"registry store unavailable: {Description}: {exception.Message}", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new RegistryStoreUnavailableException($"registry store unavailable: {exception.Message}", exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens the file once: WAL, synchronous FULL, schema created when new; an existing file must pass a quick check.</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var directory = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(directory))
        {
            throw Unreadable($"its directory {directory} does not exist");
        }

        var created = !File.Exists(_path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (created && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await ExecuteAsync(connection, "PRAGMA busy_timeout = 5000", cancellationToken);
            if (!created)
            {
                await using var check = Command(connection, "PRAGMA quick_check");
                var result = Convert.ToString(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                if (!string.Equals(result, "ok", StringComparison.Ordinal))
                {
                    throw Unreadable($"its integrity check failed: {result}");
                }

                await using var schema = Command(connection, "PRAGMA user_version");
                var version = Convert.ToInt64(await schema.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                if (version > SchemaVersion)
                {
                    throw Unreadable($"it was written by a newer version of DepHealth.AspNetCore.Sqlite (schema {version}, this one reads {SchemaVersion})");
                }
            }

            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
            await ExecuteAsync(connection, "PRAGMA synchronous = FULL", cancellationToken);
            await ExecuteAsync(
                connection,
                "CREATE TABLE IF NOT EXISTS endpoints (dependency TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, "
                + "spec TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (dependency, host, port)); "
                + "CREATE TABLE IF NOT EXISTS store_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL); "
                + "INSERT OR IGNORE INTO store_version (id, version) VALUES (1, 0); "
                + $"PRAGMA user_version = {SchemaVersion};",
                cancellationToken);
            _connection = connection;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string text, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, text);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private InvalidOperationException Unreadable(string reason, Exception? inner = null) =>
        new($"The registry store file {_path} cannot be used: {reason}. It was left as it is: restore it from a backup, or move it away to start with an empty store.", inner);
}
