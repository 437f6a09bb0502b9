namespace DepHealth.AspNetCore.Sqlite;

/// <summary>The <c>sqlite</c> registry store's file.</summary>
public sealed class SqliteRegistryStoreOptions
{
    /// <summary>The SQLite file, for example <c>/var/lib/orders-api/registry.db</c>; created when missing. Required when the store is selected.</summary>
    public string? Path { get; set; }
}
