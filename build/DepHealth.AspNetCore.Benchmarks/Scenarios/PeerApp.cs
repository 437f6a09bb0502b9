using System.Globalization;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// The application under measurement in the peer scenario, a process of its own (<c>--peer-app MODE SECONDS COPIES</c>)
/// so that its CPU time is its alone: the same web application with the same clients in DI, checking PostgreSQL, Redis,
/// RabbitMQ and an HTTP service with this package (<c>ours</c>), with Xabaril's checks under
/// <see cref="HealthCheckService"/> (<c>peer</c>), or not at all (<c>idle</c>, the baseline). Each dependency is
/// registered COPIES times (on the same client), so that a CPU window holds enough checks to measure. It prints
/// <c>ready URL</c> and runs until its standard input closes; <c>/bench/checks</c> answers the checks done so far and
/// <c>/bench/cpu</c> its CPU time.
/// </summary>
internal static class PeerApp
{
    public const string Ours = "ours";
    public const string Peer = "peer";
    public const string Idle = "idle";

    private const string HttpClientName = "bench-http";

    public static async Task<int> RunAsync(string mode, string intervalSeconds, string copiesText)
    {
        var interval = TimeSpan.FromSeconds(double.Parse(intervalSeconds, CultureInfo.InvariantCulture));
        var copies = int.Parse(copiesText, CultureInfo.InvariantCulture);

        // The same on both sides: this package's default 5 s at the default 15 s interval, scaled with it.
        var timeout = interval / 3;
        await using var clients = await PeerClients.ConnectAsync();
        var publisher = new CountingPublisher();
        Func<IServiceProvider, long> checks = mode switch
        {
            Ours => services => Endpoints.TotalChecks(services.GetRequiredService<HealthStateStore>()),
            Peer => _ => publisher.Checks,
            Idle => _ => 0,
            _ => throw new ArgumentException($"unknown peer-app mode '{mode}'; known: {Ours} {Peer} {Idle}", nameof(mode)),
        };

        var app = await BenchApp.StartAsync(
            services =>
            {
                services.AddSingleton(clients.DataSource);
                services.AddSingleton(clients.Multiplexer);
                services.AddSingleton(clients.Connection);
                if (mode == Ours)
                {
                    AddOurs(services, clients.Http, interval, timeout, copies);
                }
                else if (mode == Peer)
                {
                    AddPeer(services, clients.Http, interval, timeout, copies, publisher);
                }
            },
            app =>
            {
                if (mode == Ours)
                {
                    app.MapDependencyHealthProbes();
                    app.MapDependencyHealthMetrics();
                }
                else if (mode == Peer)
                {
                    app.MapHealthChecks("/health/ready");
                }

                app.MapGet("/bench/checks", (HttpContext context) => checks(context.RequestServices).ToString(CultureInfo.InvariantCulture));
                app.MapGet("/bench/cpu", () => Environment.CpuUsage.TotalTime.Ticks.ToString(CultureInfo.InvariantCulture));
            });
        await using (app)
        {
            Console.WriteLine($"ready {app.BaseUri}");
            while (await Console.In.ReadLineAsync() is { } line && line != "stop")
            {
            }
        }

        return 0;
    }

    /// <summary>This package in pool mode on the application's clients, HTTP through a named client of IHttpClientFactory as the peer's.</summary>
    private static void AddOurs(IServiceCollection services, Uri http, TimeSpan interval, TimeSpan timeout, int copies)
    {
        // The factory's default handler, as AddUrlGroup's client; the lifetime (the default) is stated so the name is configured.
        services.AddHttpClient(HttpClientName).SetHandlerLifetime(TimeSpan.FromMinutes(2));
        var health = services.AddDependencyHealth(o =>
        {
            o.Name = "bench";
            o.Group = "perf";
            o.InitialDelay = TimeSpan.Zero;
            o.CheckInterval = interval;
            o.Timeout = timeout;
        });
        for (var i = 0; i < copies; i++)
        {
            health.AddNpgsql(Name("postgres", i, copies), sp => sp.GetRequiredService<NpgsqlDataSource>(), critical: true)
                .AddRedis(Name("redis", i, copies), sp => sp.GetRequiredService<IConnectionMultiplexer>(), critical: true)
                .AddRabbitMQ(Name("rabbitmq", i, copies), sp => sp.GetRequiredService<IConnection>(), critical: true)
                .AddHttp(Name("http", i, copies), http.ToString(), HttpClientName, critical: true);
        }
    }

    /// <summary>Xabaril's checks on the same clients, published every <paramref name="interval"/> and run by every <c>/health/ready</c>.</summary>
    private static void AddPeer(IServiceCollection services, Uri http, TimeSpan interval, TimeSpan timeout, int copies, CountingPublisher publisher)
    {
        var health = services.AddHealthChecks();
        for (var i = 0; i < copies; i++)
        {
            health.AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: Name("postgres", i, copies), timeout: timeout)
                .AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), name: Name("redis", i, copies), timeout: timeout)
                .AddRabbitMQ(sp => sp.GetRequiredService<IConnection>(), name: Name("rabbitmq", i, copies), timeout: timeout)
                .AddUrlGroup(http, name: Name("http", i, copies), timeout: timeout);
        }

        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = interval;
            o.Timeout = timeout;
        });
        services.AddSingleton<IHealthCheckPublisher>(publisher);
    }

    private static string Name(string dependency, int copy, int copies) => copies == 1 ? dependency : $"{dependency}-{copy}";

    /// <summary>The peer's publisher: counts the checks each report carries (what a metrics exporter would read).</summary>
    private sealed class CountingPublisher : IHealthCheckPublisher
    {
        private long _checks;

        public long Checks => Interlocked.Read(ref _checks);

        public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _checks, report.Entries.Count);
            return Task.CompletedTask;
        }
    }
}
