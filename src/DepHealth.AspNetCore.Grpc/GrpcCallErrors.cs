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
        StatusCode.Unavailable or StatusCode.Internal => exception.Status.DebugException is { } cause ? CheckResult.FromException(cause).Detail : CheckDetails.Error,

        // UNIMPLEMENTED (no health service at all) and any other status say nothing about the health: a configuration error.
        _ => CheckDetails.Error,
    };

    /// <summary>A status name for messages: never the server's status detail text, which may echo request data.</summary>
    public static string Describe(RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Internal when exception.Status.DebugException is { } cause
            => $"{exception.StatusCode} ({cause.GetType().Name})",
        _ => exception.StatusCode.ToString(),
    };
}
