using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>The contract labels of a context's database: the type from its provider, host and port from its connection string.</summary>
/// <param name="Type">The contract type, or null for a provider the contract has no type for.</param>
/// <param name="Host">The first host, or null when none could be read.</param>
/// <param name="Port">The port, the type's default when the connection string names none.</param>
/// <param name="Provider">The EF Core provider's assembly name, for messages.</param>
internal sealed record DbContextEndpoint(string? Type, string? Host, int? Port, string Provider)
{
    /// <summary>EF Core provider names (<see cref="Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade.ProviderName"/>) of servers the contract has a type for.</summary>
    private static readonly Dictionary<string, string> ProviderTypes = new(StringComparer.Ordinal)
    {
        ["Npgsql.EntityFrameworkCore.PostgreSQL"] = DependencyTypes.Postgres,
        ["Pomelo.EntityFrameworkCore.MySql"] = DependencyTypes.MySql,
        ["MySql.EntityFrameworkCore"] = DependencyTypes.MySql,
        ["MySql.Data.EntityFrameworkCore"] = DependencyTypes.MySql,
    };

    /// <summary>The contract type of an EF Core provider, or null.</summary>
    public static string? TypeOf(string? provider) => provider is not null && ProviderTypes.TryGetValue(provider, out var type) ? type : null;

    /// <summary>Reads the labels from <paramref name="context"/>; host and port only for a provider with a contract type.</summary>
    /// <exception cref="InvalidOperationException">The context's provider is not relational, or its connection string is malformed.</exception>
    public static DbContextEndpoint Of(DbContext context, string dependency)
    {
        var database = context.Database;
        var provider = database.ProviderName ?? "(no provider)";
        if (!database.IsRelational())
        {
            throw new InvalidOperationException(
                $"Dependency '{dependency}': {context.GetType().Name} uses the provider {provider}, which is not relational; "
                + "the check opens the context's database connection, which only relational providers have.");
        }

        var type = TypeOf(provider);
        if (type is null)
        {
            // A file (SQLite) or a server the contract has no type for: its connection string names no contract endpoint.
            return new DbContextEndpoint(null, null, null, provider);
        }

        try
        {
            var address = ConnectionStringAddress.Parse(database.GetConnectionString());
            return new DbContextEndpoint(type, address?.Host, address?.Port ?? DependencyTypes.DefaultPort(type), provider);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Dependency '{dependency}': {e.Message}.", e);
        }
    }
}
