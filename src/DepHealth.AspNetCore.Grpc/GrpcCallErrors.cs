using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace DepHealth.AspNetCore.Grpc;

/// <summary>Classifies a failed <c>grpc.health.v1.Health/Check</c> call into the contract's grpc details.</summary>
internal static class GrpcCallErrors
{
    /// <summary>The detail of a call that ended with <paramref name="exception"/>'s status.</summary>
    /// <param name="exception">The call's failure.</param>
    /// <param name="cancelled">Whether the check's own token was cancelled: a cancelled call then is the check's timeout.</param>
    public static string Classify(RpcException exception, bool cancelled) => exception.StatusCode switch
    {
        StatusCode.DeadlineExceeded => CheckDetails.Timeout,
        StatusCode.Cancelled when cancelled => CheckDetails.Timeout,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => CheckDetails.AuthError,

        // The health service's answer for a service it does not know.
        StatusCode.NotFound => CheckDetails.GrpcUnknown,

        // The transport failed before any answer: the cause sits in the status's debug exception.
        StatusCode.Unavailable or StatusCode.Internal => Transport(exception.Status.DebugException) ?? CheckDetails.Error,

        // UNIMPLEMENTED (no health service at all) and any other status say nothing about the health: a configuration error.
        _ => CheckDetails.Error,
    };

    private static string? Transport(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket when Classify(socket.SocketErrorCode) is { } detail:
                    return detail;
                case AuthenticationException:
                    return CheckDetails.TlsError;
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return CheckDetails.DnsError;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } when e.InnerException is not SocketException:
                    return CheckDetails.TlsError;
                case TimeoutException:
                    return CheckDetails.Timeout;
            }
        }

        return null;
    }

    private static string? Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => CheckDetails.ConnectionRefused,
        SocketError.HostUnreachable => CheckDetails.HostUnreachable,
        SocketError.NetworkUnreachable or SocketError.NetworkDown => CheckDetails.NetworkUnreachable,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => CheckDetails.DnsError,
        SocketError.TimedOut => CheckDetails.Timeout,
        _ => null,
    };

    /// <summary>A status name for messages: never the server's status detail text, which may echo request data.</summary>
    public static string Describe(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Internal when exception.Status.DebugException is { } cause
            => $"{exception.StatusCode} ({cause.GetType().Name})",
        _ => exception.StatusCode.ToString(),
    };
}
