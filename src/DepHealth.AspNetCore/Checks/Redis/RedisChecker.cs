using System.Globalization;
using System.Net.Security;

namespace DepHealth.AspNetCore.Checks.Redis;

/// <summary>
/// Redis: <c>PING</c> answers <c>PONG</c>, after <c>AUTH</c> and <c>SELECT</c> when configured. Every check opens its own
/// connection (TLS for <c>rediss</c>), pipelines its commands in one write and closes the connection when done.
/// </summary>
internal sealed class RedisChecker(RedisCheckerSettings settings) : IDependencyChecker
{
    public async ValueTask CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(endpoint, cancellationToken);

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
                        throw new DependencyCheckException(CheckDetails.AuthError, $"Redis rejected AUTH ({reply.ErrorCode}).");
                    }

                    ExpectOk(reply, "AUTH");
                    break;
                case "SELECT":
                    ThrowIfAuthError(reply);
                    if (reply.Kind == RespKind.Error)
                    {
                        throw new DependencyCheckException(CheckDetails.Error, $"Redis rejected SELECT {command[1]} ({reply.ErrorCode}).");
                    }

                    ExpectOk(reply, "SELECT");
                    break;
                default:
                    ThrowIfAuthError(reply);
                    if (reply is not { Kind: RespKind.SimpleString, Text: "PONG" })
                    {
                        throw new DependencyCheckException(CheckDetails.Unhealthy, reply.Kind == RespKind.Error
                            ? $"Redis answered PING with an error ({reply.ErrorCode})."
                            : "Redis answered PING with something other than PONG.");
                    }

                    break;
            }
        }
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
    private static void ThrowIfAuthError(RespReply reply)
    {
        if (reply.Kind != RespKind.Error)
        {
            return;
        }

        var code = reply.ErrorCode;
        if (code is "NOAUTH" or "WRONGPASS" or "NOPERM"
            || (code == "ERR" && (reply.Text.Contains("invalid password", StringComparison.OrdinalIgnoreCase) || reply.Text.Contains("AUTH", StringComparison.Ordinal))))
        {
            throw new DependencyCheckException(CheckDetails.AuthError, $"Redis requires valid credentials ({code}).");
        }
    }

    private static void ExpectOk(RespReply reply, string command)
    {
        if (reply is not { Kind: RespKind.SimpleString, Text: "OK" })
        {
            throw new DependencyCheckException(CheckDetails.Error, $"Redis answered {command} with something other than OK.");
        }
    }
}
