using RabbitMQ.Client;

namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>Pool mode: opens and closes a channel on the application's own connection, which it never closes.</summary>
internal sealed class AmqpConnectionChecker(IConnection connection) : IDependencyChecker
{
    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        // A closed connection (broker gone, recovery under way) fails with the reason it was closed.
        if (!connection.IsOpen && connection.CloseReason is { } reason && AmqpErrors.Classify(reason.ReplyCode) is { } detail)
        {
            return AmqpChannelCheck.Failure(detail, new InvalidOperationException("The application's AMQP connection is closed."));
        }

        return await AmqpChannelCheck.RunAsync(connection, cancellationToken);
    }
}
