using System.Net.Security;
using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>Standalone AMQP: opens a connection to the endpoint's own host and port, opens a channel, closes both.</summary>
internal sealed class AmqpChecker(AmqpCheckerSettings settings, TimeSpan globalTimeout) : IDependencyChecker
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var timeout = CheckTimeouts.Of(endpoint, globalTimeout);
        var factory = new ConnectionFactory
        {
            HostName = endpoint.Host,
            Port = endpoint.Port,
            VirtualHost = settings.VirtualHost,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
            HandshakeContinuationTimeout = timeout,
            ContinuationTimeout = timeout,
            SocketReadTimeout = timeout,
            SocketWriteTimeout = timeout,
            ClientProvidedName = "dephealth",
        };
        if (settings.UserName is not null)
        {
            factory.UserName = settings.UserName;
        }

        if (settings.Password is not null)
        {
            factory.Password = settings.Password;
        }

        if (settings.UsesTls(endpoint))
        {
            factory.Ssl = new SslOption
            {
                Enabled = true,
                ServerName = endpoint.Host,
                AcceptablePolicyErrors = settings.SkipTlsVerify
                    ? SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch
                    : SslPolicyErrors.None,
            };
        }

        IConnection connection;
        try
        {
            connection = await AmqpAbandon.WaitAsync(factory.CreateConnectionAsync(cancellationToken), CloseQuietlyAsync, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AmqpErrors.Classify(e) is { } detail)
        {
            return AmqpChannelCheck.Failure(detail, e);
        }

        await using (connection)
        {
            try
            {
                return await AmqpChannelCheck.RunAsync(connection, cancellationToken);
            }
            finally
            {
                await CloseAsync(connection);
            }
        }
    }

    // Abort-style close: never throws, waits at most CloseTimeout for the broker's close-ok.
    private static Task CloseAsync(IConnection connection) =>
        connection.CloseAsync(Constants.ReplySuccess, "dephealth check done", CloseTimeout, abort: true, CancellationToken.None);

    private static async Task CloseQuietlyAsync(IConnection connection)
    {
        await using (connection)
        {
            await CloseAsync(connection);
        }
    }
}
