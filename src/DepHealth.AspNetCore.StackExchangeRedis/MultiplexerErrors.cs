using System.Net.Sockets;
using System.Security.Authentication;
using StackExchange.Redis;

namespace DepHealth.AspNetCore.StackExchangeRedis;

/// <summary>Classifies a failed PING through a multiplexer into the contract's redis details.</summary>
internal static class MultiplexerErrors
{
    /// <summary>The detail, or null for an exception this library did not raise (left to the core's classifier).</summary>
    public static string? Classify(Exception exception) => exception switch
    {
        RedisTimeoutException => CheckDetails.Timeout,
        RedisServerException server => Classify(server.Kind),
        RedisConnectionException connection => Classify(connection),
        ObjectDisposedException => CheckDetails.Error,
        _ => null,
    };

    private static string Classify(RedisErrorKind kind) => kind switch
    {
        RedisErrorKind.NoAuth or RedisErrorKind.WrongPass or RedisErrorKind.NoPermission => CheckDetails.AuthError,

        // Any other error reply to PING (LOADING, MASTERDOWN, BUSY, CLUSTERDOWN...): the server is up but not serving.
        _ => CheckDetails.Unhealthy,
    };

    private static string Classify(RedisConnectionException exception)
    {
        // The socket error or the server's refusal, wherever it sits, is the most precise cause.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket when CheckResult.FromException(socket).Detail is var detail && detail != CheckDetails.Error:
                    return detail;
                case AuthenticationException:
                    return CheckDetails.TlsError;
                case RedisServerException { Kind: RedisErrorKind.NoAuth or RedisErrorKind.WrongPass or RedisErrorKind.NoPermission }:
                    return CheckDetails.AuthError;
            }
        }

        // A failure wraps the connection failure that caused it ("timed out in the backlog", "no connection
        // available"): the innermost specific type is the root cause.
        var type = ConnectionFailureType.None;
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException { FailureType: not (ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.None) } specific)
            {
                type = specific.FailureType;
            }
        }

        return Classify(type);
    }

    private static string Classify(ConnectionFailureType type) => type switch
    {
        ConnectionFailureType.AuthenticationFailure => CheckDetails.AuthError,
        ConnectionFailureType.Loading => CheckDetails.Unhealthy,
        ConnectionFailureType.ProtocolFailure or ConnectionFailureType.InternalFailure or ConnectionFailureType.ResponseIntegrityFailure
            => CheckDetails.Error,

        // UnableToConnect, SocketFailure, SocketClosed, ConnectionDisposed, CircuitBreaker, MaintenanceHandoff: no connection.
        _ => CheckDetails.ConnectionRefused,
    };
}
