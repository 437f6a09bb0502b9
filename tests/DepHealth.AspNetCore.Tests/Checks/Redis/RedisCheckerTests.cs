using System.Net.Sockets;
using DepHealth.AspNetCore.Checks.Redis;

namespace DepHealth.AspNetCore.Tests.Checks.Redis;

/// <summary>The Redis check against the real redis-server (password on the default user, plus an ACL user).</summary>
[Trait("Category", "integration")]
public sealed class RedisCheckerTests
{
    private static readonly RedisCheckerFactory Factory = new();

    private static Uri PasswordUrl => new(RequiredEnvironment.Get("DEPHEALTH_TEST_REDIS_URL"));

    private static Uri AclUrl => new(RequiredEnvironment.Get("DEPHEALTH_TEST_REDIS_ACL_URL"));

    [Fact]
    public async Task Ping_with_password_is_ok()
    {
        Assert.Equal(CheckDetails.Ok, await DetailAsync(PasswordUrl.ToString()));
    }

    [Fact]
    public async Task Ping_as_acl_user_is_ok()
    {
        Assert.Equal(CheckDetails.Ok, await DetailAsync(AclUrl.ToString()));
    }

    [Fact]
    public async Task Ping_with_credentials_from_options_is_ok()
    {
        var url = AclUrl;
        var (user, password) = SplitUserInfo(url);
        var spec = CheckerRun.Spec(new DependencyOptions { Type = DependencyTypes.Redis, Host = url.Host, Port = url.Port, Username = user, Password = password });

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(Factory, spec));
    }

    [Fact]
    public async Task Ping_with_wrong_password_is_auth_error()
    {
        var url = With(PasswordUrl, userInfo: ":not-the-password");

        Assert.Equal(CheckDetails.AuthError, await DetailAsync(url));
    }

    [Fact]
    public async Task Ping_as_acl_user_with_wrong_password_is_auth_error()
    {
        var url = With(AclUrl, userInfo: SplitUserInfo(AclUrl).User + ":not-the-password");

        Assert.Equal(CheckDetails.AuthError, await DetailAsync(url));
    }

    [Fact]
    public async Task Ping_without_password_against_protected_server_is_auth_error()
    {
        var url = With(PasswordUrl, userInfo: string.Empty);

        Assert.Equal(CheckDetails.AuthError, await DetailAsync(url));
    }

    [Fact]
    public async Task Database_from_url_path_is_selected()
    {
        var url = With(PasswordUrl, path: "/15");
        await using var monitor = await RedisMonitor.StartAsync(PasswordUrl);

        Assert.Equal(CheckDetails.Ok, await DetailAsync(url));
        await monitor.WaitForCommandAsync("\"SELECT\" \"15\"");
    }

    [Fact]
    public async Task Database_out_of_range_is_error()
    {
        var url = With(PasswordUrl, path: "/100000");

        Assert.Equal(CheckDetails.Error, await DetailAsync(url));
    }

    [Fact]
    public async Task Closed_port_is_connection_refused()
    {
        var url = With(PasswordUrl, host: "127.0.0.1", port: LoopbackTcpServer.UnusedPort());

        Assert.Equal(CheckDetails.ConnectionRefused, await DetailAsync(url));
    }

    [Fact]
    public async Task Unresolvable_host_is_dns_error()
    {
        var url = With(PasswordUrl, host: "nonexistent.invalid");

        Assert.Equal(CheckDetails.DnsError, await DetailAsync(url));
    }

    private static Task<string> DetailAsync(string url) =>
        CheckerRun.DetailAsync(Factory, CheckerRun.Spec(new DependencyOptions { Url = url }));

    /// <summary>The URL with parts replaced; an empty <paramref name="userInfo"/> drops the credentials.</summary>
    private static string With(Uri url, string? userInfo = null, string? host = null, int? port = null, string? path = null)
    {
        userInfo ??= url.UserInfo;
        return $"{url.Scheme}://{(userInfo.Length > 0 ? userInfo + "@" : string.Empty)}{host ?? url.Host}:{port ?? url.Port}{path ?? url.AbsolutePath}";
    }

    private static (string User, string Password) SplitUserInfo(Uri url)
    {
        var parts = url.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]));
    }

    /// <summary>A second connection in MONITOR mode, to see the commands the check sends to the real server.</summary>
    private sealed class RedisMonitor : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly RespReader _reader;

        private RedisMonitor(TcpClient client)
        {
            _client = client;
            _reader = new RespReader(client.GetStream());
        }

        public static async Task<RedisMonitor> StartAsync(Uri url)
        {
            var client = new TcpClient();
            await client.ConnectAsync(url.Host, url.Port);
            var monitor = new RedisMonitor(client);
            var (user, password) = SplitUserInfo(url);
            string[] auth = user.Length == 0 ? ["AUTH", password] : ["AUTH", user, password];
            await client.GetStream().WriteAsync(RespCommands.Encode([auth, ["MONITOR"]]));
            using var limit = new CancellationTokenSource(CheckerRun.Limit);
            Assert.Equal("OK", (await monitor._reader.ReadAsync(limit.Token)).Text);
            Assert.Equal("OK", (await monitor._reader.ReadAsync(limit.Token)).Text);
            return monitor;
        }

        /// <summary>Reads monitored commands until one contains <paramref name="fragment"/> (other clients may share the server).</summary>
        public async Task WaitForCommandAsync(string fragment)
        {
            using var limit = new CancellationTokenSource(CheckerRun.Limit);
            while (true)
            {
                var line = await _reader.ReadAsync(limit.Token);
                if (line.Text.Contains(fragment, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
