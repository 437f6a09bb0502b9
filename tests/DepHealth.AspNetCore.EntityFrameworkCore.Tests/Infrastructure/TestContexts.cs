using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>An application's context: the check needs no model, only the provider and its connection.</summary>
public sealed class PostgresContext(DbContextOptions<PostgresContext> options) : DbContext(options);

/// <summary>An application's context on a non-relational provider (InMemory).</summary>
public sealed class InMemoryContext(DbContextOptions<InMemoryContext> options) : DbContext(options);

/// <summary>An application's context on a SQLite file.</summary>
public sealed class SqliteContext(DbContextOptions<SqliteContext> options) : DbContext(options);
