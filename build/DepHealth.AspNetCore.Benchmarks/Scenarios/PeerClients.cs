using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// The application's own clients of the peer scenario, as an application would create them once at startup: an
/// <see cref="NpgsqlDataSource"/>, an <see cref="IConnectionMultiplexer"/> and an AMQP <see cref="IConnection"/>, built
/// from the servers' URLs (pointed at the relays) that <see cref="PeerScenario"/> passes in the environment.
/// </summary>
internal sealed class PeerClients : IAsyncDisposable
{
    public const string PostgresVariable = "DEPHEALTH_PEER_POSTGRES_URL";
    public const string RedisVariable = "DEPHEALTH_PEER_REDIS_URL";
    public const string AmqpVariable = "DEPHEALTH_PEER_AMQP_URL";
    public const string HttpVariable = "DEPHEALTH_PEER_HTTP_URL";

    private PeerClients(NpgsqlDataSource dataSource, IConnectionMultiplexer multiplexer, IConnection connection, Uri http)
    {
        DataSource = dataSource;
        Multiplexer = multiplexer;
        Connection = connection;
        Http = http;
    }

    public NpgsqlDataSource DataSource { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public IConnection Connection { get; }

    public Uri Http { get; }

    public static async Task<PeerClients> ConnectAsync()
    {
        var postgres = new Uri(Required(PostgresVariable));
        var (pgUser, pgPassword) = Credentials(postgres);
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = postgres.Host,
            Port = postgres.Port,
            Username = pgUser,
            Password = pgPassword,
            Database = Uri.UnescapeDataString(postgres.AbsolutePath.TrimStart('/')),
        }.ConnectionString);

        var redis = new Uri(Required(RedisVariable));
        var (redisUser, redisPassword) = Credentials(redis);
        var options = new ConfigurationOptions
        {
            EndPoints = { { redis.Host, redis.Port } },
            User = string.IsNullOrEmpty(redisUser) ? null : redisUser,
            Password = redisPassword,
            DefaultDatabase = int.TryParse(redis.AbsolutePath.TrimStart('/'), out var database) ? database : 0,
        };
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);

        var factory = new ConnectionFactory { Uri = new Uri(Required(AmqpVariable)) };
        var connection = await factory.CreateConnectionAsync();
        return new PeerClients(dataSource, multiplexer, connection, new Uri(Required(HttpVariable)));
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.CloseAsync();
        Connection.Dispose();
        await Multiplexer.CloseAsync();
        Multiplexer.Dispose();
        await DataSource.DisposeAsync();
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set (the peer scenario starts this process with it).");

    private static (string User, string Password) Credentials(Uri url)
    {
        var info = url.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(info), "")
            : (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }
}
