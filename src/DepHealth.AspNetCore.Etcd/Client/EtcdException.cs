namespace DepHealth.AspNetCore.Etcd.Client;

/// <summary>etcd answered with an error (the gateway's gRPC code and message), or not at all.</summary>
internal sealed class EtcdException : Exception
{
    /// <summary>gRPC code of an invalid or expired auth token.</summary>
    public const int Unauthenticated = 16;

    /// <summary>gRPC code of a request for a compacted revision.</summary>
    public const int OutOfRange = 11;

    public EtcdException()
    {
    }

    public EtcdException(string message)
        : base(message)
    {
    }

    public EtcdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EtcdException(int code, string message, int httpStatus = 0)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
    }

    /// <summary>The gRPC status code, 0 when unknown.</summary>
    public int Code { get; }

    /// <summary>The HTTP status of the gateway's answer, 0 when unknown.</summary>
    public int HttpStatus { get; }

    public bool IsAuthentication => Code == Unauthenticated || HttpStatus == 401;
}
