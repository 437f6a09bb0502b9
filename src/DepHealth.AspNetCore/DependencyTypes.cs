namespace DepHealth.AspNetCore;

/// <summary>The contract's dependency types.</summary>
public static class DependencyTypes
{
    /// <summary>An HTTP service: a 2xx from the health path.</summary>
    public const string Http = "http";
    /// <summary>A gRPC service: <c>grpc.health.v1.Health/Check</c> answers SERVING.</summary>
    public const string Grpc = "grpc";
    /// <summary>A TCP port: the connection opens.</summary>
    public const string Tcp = "tcp";
    /// <summary>PostgreSQL: <c>SELECT 1</c>.</summary>
    public const string Postgres = "postgres";
    /// <summary>MySQL or MariaDB: <c>SELECT 1</c>.</summary>
    public const string MySql = "mysql";
    /// <summary>Redis: <c>PING</c> answers <c>PONG</c>.</summary>
    public const string Redis = "redis";
    /// <summary>AMQP (RabbitMQ): the connection and a channel open.</summary>
    public const string Amqp = "amqp";
    /// <summary>Kafka: a broker answers a metadata request.</summary>
    public const string Kafka = "kafka";
    /// <summary>LDAP: a bind or search succeeds.</summary>
    public const string Ldap = "ldap";

    /// <summary>Every type, in the contract's order.</summary>
    public static IReadOnlyList<string> All { get; } = [Http, Grpc, Tcp, Postgres, MySql, Redis, Amqp, Kafka, Ldap];

    /// <summary>Whether <paramref name="type"/> is one of the contract's types.</summary>
    /// <param name="type">The type to test.</param>
    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="type"/> can name a type: a contract type, or an application's own (served by a checker
    /// factory it registers or by its own checker): a lower-case letter, then lower-case letters, digits or '_', at most 32.
    /// </summary>
    internal static bool IsWellFormed(string? type) =>
        type is { Length: > 0 and <= 32 } && char.IsAsciiLetterLower(type[0]) && type.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>The rule of <see cref="IsWellFormed"/>, for messages.</summary>
    internal static string Rule => $"must be one of {string.Join(", ", All)}, or a type of your own served by a registered checker factory (a lower-case letter, then lower-case letters, digits or '_', at most 32)";

    /// <summary>The default port of a type, or null when it has none (<c>tcp</c>).</summary>
    /// <param name="type">The type.</param>
    public static int? DefaultPort(string type) => type switch
    {
        Postgres => 5432,
        MySql => 3306,
        Redis => 6379,
        Amqp => 5672,
        Http => 80,
        Grpc => 443,
        Kafka => 9092,
        Ldap => 389,
        _ => null,
    };
}
