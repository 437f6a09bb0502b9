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

    /// <summary>The package that provides a type's checker when it is not in the core package.</summary>
    internal static string? SatellitePackage(string type) => type switch
    {
        Postgres => "DepHealth.AspNetCore.Npgsql",
        MySql => "DepHealth.AspNetCore.MySql",
        Amqp => "DepHealth.AspNetCore.RabbitMQ",
        Ldap => "DepHealth.AspNetCore.Ldap",
        _ => null,
    };
}
