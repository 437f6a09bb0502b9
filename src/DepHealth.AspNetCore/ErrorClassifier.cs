using System.Net.Sockets;
using System.Security.Authentication;

namespace DepHealth.AspNetCore;

/// <summary>
/// Turns a failed check's exception into the contract's detail value: the checker's own classification first,
/// then platform errors by type and error code (never by message text), else <c>error</c>.
/// </summary>
internal static class ErrorClassifier
{
    public static string Classify(Exception exception)
    {
        // The checker's own classification wins wherever it sits in the chain.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DependencyCheckException classified)
            {
                return IsWellFormed(classified.Detail) ? classified.Detail : CheckDetails.Error;
            }
        }

        var detail = ClassifyPlatform(exception);
        if (detail is not null)
        {
            return detail;
        }

        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.Flatten().InnerExceptions)
            {
                detail = ClassifyPlatform(inner);
                if (detail is not null)
                {
                    return detail;
                }
            }
        }

        return CheckDetails.Error;
    }

    private static string? ClassifyPlatform(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException or OperationCanceledException:
                    return CheckDetails.Timeout;
                case SocketException socket:
                    var detail = Classify(socket.SocketErrorCode);
                    if (detail is not null)
                    {
                        return detail;
                    }

                    break;
                case AuthenticationException:
                    return CheckDetails.TlsError;
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return CheckDetails.DnsError;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
                    when e.InnerException is not SocketException:
                    return CheckDetails.TlsError;
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

    /// <summary>Detail values become label values: keep them to the contract's lower-case words.</summary>
    public static bool IsWellFormed(string detail)
    {
        if (detail.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in detail)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
