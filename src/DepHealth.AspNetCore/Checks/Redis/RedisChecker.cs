using System.Globalization;
using System.Net.Security;

namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>
/// Redis: <c>PING</c> answers <c>PONG</c>, after <c>AUTH</c> and <c>SELECT</c> when configured. Every check opens its own
/// connection (TLS for <c>rediss</c>), pipelines its commands in one write and closes the connection when done.
/// </summary>
internal sealed class RedisChecker(RedisCheckerSettings settings) : IDependencyChecker
{
    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await OpenAsync(endpoint, cancellationToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or IOException)
        {
            return CheckResult.FromException(e);
        }

        await using (stream)
        {
            return await PingAsync(stream, cancellationToken);
        }
    }

    private async ValueTask<CheckResult> PingAsync(Stream stream, CancellationToken cancellationToken)
    {

        var commands = new List<string[]>(3);
        if (settings.Password is not null)
        {
            commands.Add(settings.Username is null ? ["AUTH", settings.Password] : ["AUTH", settings.Username, settings.Password]);
        }

        // A new connection starts on database 0.
        if (settings.Database != 0)
        {
            commands.Add(["SELECT", settings.Database.ToString(CultureInfo.InvariantCulture)]);
        }

        commands.Add(["PING"]);

        // Replies come back in command order; the first failure decides the detail.
        await stream.WriteAsync(RespCommands.Encode(commands), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var reader = new RespReader(stream);
        foreach (var command in commands)
        {
            var reply = await reader.ReadAsync(cancellationToken);
            switch (command[0])
            {
                case "AUTH":
                    if (reply.Kind == RespKind.Error)
                    {
                        // Whatever the server objects to in AUTH (wrong password, unknown user, no password configured) is a credentials problem.
                        return CheckResult.Unhealthy(CheckDetails.AuthError, $"Redis rejected AUTH ({reply.ErrorCode}).");
                    }

                    if (NotOk(reply, "AUTH") is { } authAnswer)
                    {
                        return authAnswer;
                    }

                    break;
                case "SELECT":
                    if (AuthError(reply) is { } selectAuth)
                    {
                        return selectAuth;
                    }

                    if (reply.Kind == RespKind.Error)
                    {
                        return CheckResult.Unhealthy(CheckDetails.Error, $"Redis rejected SELECT {command[1]} ({reply.ErrorCode}).");
                    }

                    if (NotOk(reply, "SELECT") is { } selectAnswer)
                    {
                        return selectAnswer;
                    }

                    break;
                default:
                    if (AuthError(reply) is { } pingAuth)
                    {
                        return pingAuth;
                    }

                    if (reply is not { Kind: RespKind.SimpleString, Text: "PONG" })
                    {
                        return CheckResult.Unhealthy(CheckDetails.Unhealthy, reply.Kind == RespKind.Error
                            ? $"Redis answered PING with an error ({reply.ErrorCode})."
                            : "Redis answered PING with something other than PONG.");
                    }

                    break;
            }
        }

        return CheckResult.Healthy;
    }

    private async ValueTask<Stream> OpenAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var network = await TcpStreams.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        if (!settings.UseTls)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            var options = new SslClientAuthenticationOptions { TargetHost = endpoint.Host };
            if (settings.SkipTlsVerify)
            {
#pragma warning disable CA5359 // Skipping verification is the operator's explicit TlsSkipVerify choice.
                options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
            }

            // A failed handshake throws AuthenticationException, classified as tls_error.
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>Errors that mean missing or insufficient credentials, whichever command they answer.</summary>
    private static CheckResult? AuthError(RespReply reply)
    {
        if (reply.Kind != RespKind.Error)
        {
            return null;
        }

        var code = reply.ErrorCode;
        if (code is "NOAUTH" or "WRONGPASS" or "NOPERM"
            || (code == "ERR" && (reply.Text.Contains("invalid password", StringComparison.OrdinalIgnoreCase) || reply.Text.Contains("AUTH", StringComparison.Ordinal))))
        {
            return CheckResult.Unhealthy(CheckDetails.AuthError, $"Redis requires valid credentials ({code}).");
        }

        return null;
    }

    private static CheckResult? NotOk(RespReply reply, string command) =>
        reply is { Kind: RespKind.SimpleString, Text: "OK" }
            ? null
            : CheckResult.Unhealthy(CheckDetails.Error, $"Redis answered {command} with something other than OK.");
}
