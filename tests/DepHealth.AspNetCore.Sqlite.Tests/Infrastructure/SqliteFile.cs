using Microsoft.Data.Sqlite;

namespace DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;

/// <summary>A registry store file in its own temporary directory, read by tests with their own connection.</summary>
public sealed class SqliteFile : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dephealth-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "registry.db");

    /// <summary>The stored rows as <c>dependency:host:port</c> → spec JSON.</summary>
    public Dictionary<string, string> Rows()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT dependency, host, port, spec FROM endpoints";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[$"{reader.GetString(0)}:{reader.GetString(1)}:{reader.GetInt32(2)}"] = reader.GetString(3);
        }

        return rows;
    }

    public string IntegrityCheck()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
