using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using DepHealth.AspNetCore.Checks.Redis;

namespace DepHealth.AspNetCore.Tests.Checks.Redis;

/// <summary>The Redis check against fake servers: the exact bytes it sends, and replies a real server will not give.</summary>
[Trait("Category", "unit")]
public sealed class RedisProtocolTests
{
    private const string PingCommand = "*1\r\n$4\r\nPING\r\n";

    private static readonly RedisCheckerFactory Factory = new();

    [Fact]
    public async Task Auth_select_and_ping_are_sent_as_resp_arrays_of_bulk_strings()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            received.TrySetResult(await ReadCommandsAsync(stream, ct));
            await stream.WriteAsync("+OK\r\n+OK\r\n+PONG\r\n"u8.ToArray(), ct);
        });

        var detail = await DetailAsync($"redis://app%3Auser:p%40ss%20word@127.0.0.1:{server.Port}/3");

        Assert.Equal(CheckDetails.Ok, detail);
        Assert.Equal(
            "*3\r\n$4\r\nAUTH\r\n$8\r\napp:user\r\n$9\r\np@ss word\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n" + PingCommand,
            await received.Task);
    }

    [Fact]
    public async Task Without_credentials_or_database_only_ping_is_sent()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            received.TrySetResult(await ReadCommandsAsync(stream, ct));
            await stream.WriteAsync("+PONG\r\n"u8.ToArray(), ct);
        });

        Assert.Equal(CheckDetails.Ok, await DetailAsync($"redis://127.0.0.1:{server.Port}/0"));
        Assert.Equal(PingCommand, await received.Task);
    }

    [Theory]
    [InlineData("+NOTPONG\r\n")]
    [InlineData("-ERR something went wrong\r\n")]
    [InlineData("-LOADING Redis is loading the dataset in memory\r\n")]
    [InlineData("$4\r\nPONG\r\n")]
    [InlineData(":1\r\n")]
    [InlineData("$-1\r\n")]
    public async Task Ping_answered_with_anything_but_simple_pong_is_unhealthy(string reply)
    {
        await using var server = ReplyingServer(reply);

        Assert.Equal(CheckDetails.Unhealthy, await DetailAsync($"redis://127.0.0.1:{server.Port}"));
    }

    [Theory]
    [InlineData("-NOAUTH Authentication required.\r\n")]
    [InlineData("-NOPERM this user has no permissions to run the 'ping' command\r\n")]
    public async Task Ping_answered_with_an_authentication_error_is_auth_error(string reply)
    {
        await using var server = ReplyingServer(reply);

        Assert.Equal(CheckDetails.AuthError, await DetailAsync($"redis://127.0.0.1:{server.Port}"));
    }

    [Theory]
    [InlineData("-ERR invalid password\r\n")]
    [InlineData("-ERR AUTH <password> called without any password configured for the default user.\r\n")]
    public async Task Auth_rejected_with_err_is_auth_error(string reply)
    {
        await using var server = ReplyingServer(reply + "-NOAUTH Authentication required.\r\n");

        Assert.Equal(CheckDetails.AuthError, await DetailAsync($"redis://:secret@127.0.0.1:{server.Port}"));
    }

    [Fact]
    public async Task Select_rejected_with_err_is_error()
    {
        await using var server = ReplyingServer("-ERR DB index is out of range\r\n+PONG\r\n");

        Assert.Equal(CheckDetails.Error, await DetailAsync($"redis://127.0.0.1:{server.Port}/7"));
    }

    [Fact]
    public async Task Reply_that_is_not_resp_is_error()
    {
        await using var server = ReplyingServer("HTTP/1.1 400 Bad Request\r\n\r\n");

        Assert.Equal(CheckDetails.Error, await DetailAsync($"redis://127.0.0.1:{server.Port}"));
    }

    [Fact]
    public async Task Reply_line_longer_than_the_bound_is_error()
    {
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            await ReadCommandsAsync(stream, ct);
            try
            {
                // 80 KiB without a line end: the check must give up at its 64 KiB bound, possibly before this is all written.
                await stream.WriteAsync(Encoding.ASCII.GetBytes("+" + new string('a', 80 * 1024)), ct);
            }
            catch (IOException)
            {
            }
        });

        Assert.Equal(CheckDetails.Error, await DetailAsync($"redis://127.0.0.1:{server.Port}"));
    }

    [Fact]
    public async Task Connection_closed_before_reply_is_error()
    {
        await using var server = LoopbackTcpServer.Start(async (stream, ct) => await ReadCommandsAsync(stream, ct));

        Assert.Equal(CheckDetails.Error, await DetailAsync($"redis://127.0.0.1:{server.Port}"));
    }

    [Fact]
    public async Task Server_that_never_answers_is_timeout_when_cancelled()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (_, ct) =>
        {
            accepted.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var cancellation = new CancellationTokenSource();

        var check = CheckerRun.DetailAsync(Factory, Spec($"redis://127.0.0.1:{server.Port}"), cancellation.Token);
        await accepted.Task.WaitAsync(CheckerRun.Limit);
        await cancellation.CancelAsync();

        Assert.Equal(CheckDetails.Timeout, await check);
    }

    [Fact]
    public async Task Rediss_with_skip_verify_speaks_resp_over_tls()
    {
        using var certificate = TestCertificates.SelfSigned();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            await using var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
            received.TrySetResult(await ReadCommandsAsync(tls, ct));
            await tls.WriteAsync("+OK\r\n+PONG\r\n"u8.ToArray(), ct);
        });
        var spec = CheckerRun.Spec(new DependencyOptions { Url = $"rediss://:secret@127.0.0.1:{server.Port}", TlsSkipVerify = true });

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(Factory, spec));
        Assert.Equal("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n" + PingCommand, await received.Task);
    }

    [Fact]
    public async Task Rediss_against_an_untrusted_certificate_is_tls_error()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            await using var tls = new SslStream(stream);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                // The client rejects the certificate and aborts the handshake.
            }
        });

        Assert.Equal(CheckDetails.TlsError, await DetailAsync($"rediss://127.0.0.1:{server.Port}"));
    }

    private static LoopbackTcpServer ReplyingServer(string reply) => LoopbackTcpServer.Start(async (stream, ct) =>
    {
        await ReadCommandsAsync(stream, ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), ct);
    });

    /// <summary>Reads the pipelined commands; the check always ends them with PING.</summary>
    private static async Task<string> ReadCommandsAsync(Stream stream, CancellationToken ct)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().EndsWith(PingCommand, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, ct);
            Assert.True(read > 0, $"The check closed the connection after sending only: {received}");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    private static EndpointSpec Spec(string url) => CheckerRun.Spec(new DependencyOptions { Url = url });

    private static Task<string> DetailAsync(string url) => CheckerRun.DetailAsync(Factory, Spec(url));
}
