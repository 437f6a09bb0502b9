using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>
/// Classifies RabbitMQ.Client errors. Socket and TLS errors inside <see cref="BrokerUnreachableException"/> are left to
/// the platform classifier (it walks inner exceptions).
/// </summary>
internal static class AmqpErrors
{
    public static string? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // ACCESS_REFUSED at login; PossibleAuthenticationFailure is what older brokers cause by closing the socket.
                case AuthenticationFailureException or PossibleAuthenticationFailureException:
                    return CheckDetails.AuthError;
                case OperationInterruptedException { ShutdownReason: { } reason }:
                    return Classify(reason.ReplyCode) ?? (reason.Exception is { } cause ? Platform(cause) : null);
            }
        }

        return null;
    }

    /// <summary>The detail of a connection or channel the broker (or the client library) closed.</summary>
    public static string? Classify(ushort replyCode) => replyCode switch
    {
        // 403: the user may not do this. 530 NOT_ALLOWED: the vhost does not exist or the user has no permission
        // on it; the broker does not tell the two apart by code, and both mean these credentials cannot use this
        // vhost, so both are auth_error.
        Constants.AccessRefused or Constants.NotAllowed => CheckDetails.AuthError,

        // 320: the broker closed the connection (shutting down, or an operator closed it); 541: broker internal error.
        Constants.ConnectionForced or Constants.InternalError => CheckDetails.Unhealthy,
        _ => null,
    };

    private static string? Platform(Exception cause)
    {
        var detail = CheckResult.FromException(cause).Detail;
        return detail == CheckDetails.Error ? null : detail;
    }
}
