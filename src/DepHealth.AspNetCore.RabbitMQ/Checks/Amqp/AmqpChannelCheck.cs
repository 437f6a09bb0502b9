using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>
/// Opens a channel on a connection and closes it. A channel, not just a connection, proves the broker serves the
/// vhost: a connection may open and be closed by the broker a moment later.
/// </summary>
internal static class AmqpChannelCheck
{
    public static async Task<CheckResult> RunAsync(IConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var channel = await AmqpAbandon.WaitAsync(
                connection.CreateChannelAsync(cancellationToken: cancellationToken), CloseQuietlyAsync, cancellationToken);
            await using (channel)
            {
                await channel.CloseAsync(cancellationToken).WaitAsync(cancellationToken);
            }

            return CheckResult.Healthy;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && AmqpErrors.Classify(e) is { } detail)
        {
            return Failure(detail, e);
        }
    }

    /// <summary>Closes a channel opened after its check gave up.</summary>
    public static async Task CloseQuietlyAsync(IChannel channel)
    {
        await using (channel)
        {
            await channel.AbortAsync(CancellationToken.None);
        }
    }

    public static CheckResult Failure(string detail, Exception inner) => CheckResult.Unhealthy(detail, detail switch
    {
        CheckDetails.AuthError => "The broker refused the credentials or access to the vhost.",
        CheckDetails.Unhealthy => "The broker closed the connection.",
        _ => $"The AMQP check failed ({detail}).",
    }, inner);
}
