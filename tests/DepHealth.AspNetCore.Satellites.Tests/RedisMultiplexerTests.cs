using System.Diagnostics;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Sdk;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>redis</c> check in pool mode through the application's IConnectionMultiplexer, against the real server.</summary>
[Trait("Category", "integration")]
public sealed class RedisMultiplexerTests
{
    private static TestUrl Url => new(TestEnvironment.RedisUrl);

    [Fact]
    public async Task PoolMode_WithTheApplicationsMultiplexer_IsOk()
    {
        await using var multiplexer = await ConnectAsync();
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithAnAclUser_IsOk()
    {
        await using var multiplexer = await ConnectAsync(new TestUrl(TestEnvironment.RedisAclUrl));
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_TakesTypeHostAndPortFromTheMultiplexer()
    {
        await using var multiplexer = await ConnectAsync();
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        Assert.Equal(("redis", Url.Host, Url.Port), (harness.Single.Type, harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task PoolMode_WithSeveralConfiguredEndpoints_ChecksEachAsItsOwnEndpoint()
    {
        await using var multiplexer = await ConnectAsync(options => options.EndPoints.Add("localhost", Url.Port));
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        var outcomes = new List<(string, int, string)>();
        foreach (var spec in harness.Specs)
        {
            outcomes.Add((spec.Host, spec.Port, (await harness.CheckAsync(spec)).Detail));
        }

        Assert.Equal([(Url.Host, Url.Port, "ok"), ("localhost", Url.Port, "ok")], outcomes.Order().ToArray());
    }

    [Fact]
    public async Task PoolMode_WithWrongPassword_IsAuthError()
    {
        await using var run = await CheckUntilAuthErrorAsync("wrong-redis-pool-password-7d2e");

        Assert.Equal("auth_error", run.Details[^1]);
        Assert.All(run.Details[..^1], d => Assert.Equal("connection_refused", d));
    }

    [Fact]
    public async Task PoolMode_OnAClosedPort_IsConnectionRefused()
    {
        await using var multiplexer = await ConnectAsync(options => MoveTo(options, LocalPorts.Unused()));
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WhileStillDisconnected_ReportsTheLastCauseWithoutWaitingForTheMultiplexer()
    {
        await using var run = await CheckUntilAuthErrorAsync("wrong-redis-pool-password-9a41");

        // A check that waited for the multiplexer would see only its cancelled token: timeout.
        var outcome = await CheckRunner.RunAsync(run.Checker, run.Endpoint, new CancellationToken(canceled: true));

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_AgainstAServerThatNeverAnswers_IsTimeoutWhenTheCheckIsCancelled()
    {
        await using var server = new SilentServer();
        await using var multiplexer = await ConnectAsync(
            options =>
            {
                MoveTo(options, server.Port);

                // The handshake gives up soon (so the multiplexer is created), a held PING waits for a minute.
                options.SyncTimeout = options.AsyncTimeout = 60_000;
            });
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));

        var outcome = await CheckRunner.RunUntilCancelledAsync(harness.CheckerFor(harness.Single), harness.Single, server);

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_SendsEveryPingThroughTheApplicationsMultiplexer()
    {
        await using var multiplexer = await ConnectAsync();
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));
        var checker = harness.CheckerFor(harness.Single);
        var before = multiplexer.OperationCount;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok", (await CheckRunner.RunAsync(checker, harness.Single)).Detail);
        }

        Assert.InRange(multiplexer.OperationCount - before, 5, long.MaxValue);
    }

    [Fact]
    public async Task PoolMode_OpensNoConnectionPerCheck()
    {
        var name = $"dephealth-pool-{Guid.NewGuid():N}";
        await using var multiplexer = await ConnectAsync(options =>
        {
            options.ClientName = name;

            // CLIENT LIST is an admin command for StackExchange.Redis.
            options.AllowAdmin = true;
        });
        using var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));
        var checker = harness.CheckerFor(harness.Single);
        Assert.Equal("ok", (await CheckRunner.RunAsync(checker, harness.Single)).Detail);
        var before = await ConnectionsNamedAsync(multiplexer, name);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok", (await CheckRunner.RunAsync(checker, harness.Single)).Detail);
        }

        Assert.Equal(before, await ConnectionsNamedAsync(multiplexer, name));
    }

    [Fact]
    public async Task PoolMode_LeavesTheApplicationsMultiplexerOpenWhenTheAppStops()
    {
        await using var multiplexer = await ConnectAsync();
        await using (var app = await TestWebApp.StartAsync(
            dependencies: b => b.AddRedis("cache", sp => sp.GetRequiredService<IConnectionMultiplexer>(), critical: true),
            services: s => s.AddSingleton<IConnectionMultiplexer>(multiplexer)))
        {
            await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 200, "the pool-mode check passes");
        }

        await multiplexer.GetServer(multiplexer.GetEndPoints(configuredOnly: true)[0]).PingAsync();
        Assert.True(multiplexer.IsConnected);
    }

    /// <summary>The application's multiplexer: never aborts on a failed connect, so a broken server still gives one.</summary>
    internal static Task<ConnectionMultiplexer> ConnectAsync(Action<ConfigurationOptions>? configure = null) => ConnectAsync(Url, configure);

    internal static async Task<ConnectionMultiplexer> ConnectAsync(TestUrl url, Action<ConfigurationOptions>? configure = null)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { url.Host, url.Port } },
            User = url.UserName.Length > 0 ? url.UserName : null,
            Password = url.Password,
            AbortOnConnectFail = false,

            // A failed connect returns after ConnectTimeout; a PING held for a disconnected server fails after
            // SyncTimeout (also for async commands), naming the connection failure.
            ConnectTimeout = 1000,
            SyncTimeout = 1000,
        };
        configure?.Invoke(options);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>
    /// Checks every 10 ms through a multiplexer with a wrong password until one check is auth_error, trying up to three
    /// multiplexers for 10 s each. Under load a PING can fail on the multiplexer's own aborted reconnect
    /// (connection_refused) before a later one names the credentials. Rarely (about 1 run in 10 with two test assemblies
    /// in parallel), StackExchange.Redis 3.4.35 leaves a new multiplexer with its first connect cancelled before it
    /// started and no reconnect after it; a fresh multiplexer connects again.
    /// </summary>
    private static async Task<WrongPasswordRun> CheckUntilAuthErrorAsync(string password)
    {
        var details = new List<string>();
        var causes = new HashSet<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var multiplexer = await ConnectAsync(options => options.Password = password);
            var harness = Harness.Create(b => b.AddRedis("cache", _ => multiplexer, critical: true));
            var run = new WrongPasswordRun(multiplexer, harness, details);
            var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var outcome = await CheckRunner.RunAsync(run.Checker, run.Endpoint);
                details.Add(outcome.Detail);
                if (outcome.Detail == "auth_error")
                {
                    return run;
                }

                causes.Add(outcome.Exception?.InnerException?.Message ?? outcome.Exception?.Message ?? outcome.Detail);

                // While the server stays disconnected a check answers at once: without a pause this would spin.
                await Task.Delay(10);
            }

            await run.DisposeAsync();
        }

        throw FailException.ForFailure($"No auth_error in {details.Count} checks through three multiplexers; the causes were: {string.Join(" | ", causes)}");
    }

    private static void MoveTo(ConfigurationOptions options, int port)
    {
        options.EndPoints.Clear();
        options.EndPoints.Add("127.0.0.1", port);
    }

    private static async Task<int> ConnectionsNamedAsync(ConnectionMultiplexer multiplexer, string name)
    {
        var clients = await multiplexer.GetServer(multiplexer.GetEndPoints(configuredOnly: true)[0]).ClientListAsync();
        return clients.Count(c => c.Name == name);
    }

    /// <summary>The multiplexer that named the wrong password, its check, and every detail seen until then.</summary>
    private sealed class WrongPasswordRun(ConnectionMultiplexer multiplexer, Harness harness, List<string> details) : IAsyncDisposable
    {
        public EndpointSpec Endpoint => harness.Single;

        public IDependencyChecker Checker { get; } = harness.CheckerFor(harness.Single);

        public List<string> Details => details;

        public async ValueTask DisposeAsync()
        {
            harness.Dispose();
            await multiplexer.DisposeAsync();
        }
    }
}
