using System.Net.Sockets;
using System.Security.Authentication;
using DepHealth.AspNetCore.StackExchangeRedis;
using StackExchange.Redis;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>How the pool-mode redis check classifies what StackExchange.Redis throws.</summary>
[Trait("Category", "unit")]
public sealed class RedisMultiplexerErrorTests
{
    [Theory]
    [InlineData(RedisErrorKind.Loading)]
    [InlineData(RedisErrorKind.MasterDown)]
    [InlineData(RedisErrorKind.Busy)]
    [InlineData(RedisErrorKind.ClusterDown)]
    [InlineData(RedisErrorKind.ReadOnly)]
    public void ErrorReplyToPing_IsUnhealthy(RedisErrorKind kind) =>
        Assert.Equal("unhealthy", MultiplexerErrors.Classify(new RedisServerException(kind, CommandFlags.None, $"{kind} reply")));

    [Theory]
    [InlineData(RedisErrorKind.NoAuth)]
    [InlineData(RedisErrorKind.WrongPass)]
    [InlineData(RedisErrorKind.NoPermission)]
    public void CredentialsErrorReply_IsAuthError(RedisErrorKind kind) =>
        Assert.Equal("auth_error", MultiplexerErrors.Classify(new RedisServerException(kind, CommandFlags.None, $"{kind} reply")));

    [Fact]
    public void RedisTimeout_IsTimeout() =>
        Assert.Equal("timeout", MultiplexerErrors.Classify(new RedisTimeoutException(CommandFlags.None, "Timeout performing PING", CommandStatus.Sent)));

    [Theory]
    [InlineData(ConnectionFailureType.UnableToConnect, "connection_refused")]
    [InlineData(ConnectionFailureType.SocketFailure, "connection_refused")]
    [InlineData(ConnectionFailureType.SocketClosed, "connection_refused")]
    [InlineData(ConnectionFailureType.ConnectionDisposed, "connection_refused")]
    [InlineData(ConnectionFailureType.AuthenticationFailure, "auth_error")]
    [InlineData(ConnectionFailureType.Loading, "unhealthy")]
    [InlineData(ConnectionFailureType.ProtocolFailure, "error")]
    [InlineData(ConnectionFailureType.InternalFailure, "error")]
    public void ConnectionFailure_IsClassifiedByItsType(ConnectionFailureType type, string detail) =>
        Assert.Equal(detail, MultiplexerErrors.Classify(Connection(type, "no connection")));

    [Fact]
    public void NoConnectionAvailable_TakesTheWrappedFailuresType() =>
        Assert.Equal("auth_error", MultiplexerErrors.Classify(Connection(
            ConnectionFailureType.UnableToResolvePhysicalConnection,
            "No connection is active/available to service this operation",
            Connection(ConnectionFailureType.AuthenticationFailure, "AuthenticationFailure"))));

    [Fact]
    public void ClosedSocketAfterAFailedAuthentication_IsAuthError() =>
        Assert.Equal("auth_error", MultiplexerErrors.Classify(Connection(
            ConnectionFailureType.SocketClosed,
            "The message timed out in the backlog",
            Connection(ConnectionFailureType.AuthenticationFailure, "AuthenticationFailure"))));

    [Fact]
    public void RefusedAuthenticationReplyInsideAConnectionFailure_IsAuthError() =>
        Assert.Equal("auth_error", MultiplexerErrors.Classify(Connection(
            ConnectionFailureType.UnableToConnect,
            "It was not possible to connect",
            new RedisServerException(RedisErrorKind.WrongPass, CommandFlags.None, "WRONGPASS"))));

    [Fact]
    public void UnresolvableHost_IsDnsError() =>
        Assert.Equal("dns_error", MultiplexerErrors.Classify(Connection(
            ConnectionFailureType.UnableToConnect, "UnableToConnect", new SocketException((int)SocketError.HostNotFound))));

    [Fact]
    public void FailedTlsHandshake_IsTlsError() =>
        Assert.Equal("tls_error", MultiplexerErrors.Classify(Connection(
            ConnectionFailureType.AuthenticationFailure, "AuthenticationFailure", new AuthenticationException("remote certificate rejected"))));

    [Fact]
    public void DisposedMultiplexer_IsError() =>
        Assert.Equal("error", MultiplexerErrors.Classify(new ObjectDisposedException("ConnectionMultiplexer")));

    [Fact]
    public void ForeignException_IsLeftToTheCoresClassifier() =>
        Assert.Null(MultiplexerErrors.Classify(new InvalidOperationException("not from the multiplexer")));

    private static RedisConnectionException Connection(ConnectionFailureType type, string message, Exception? inner = null) =>
        new(type, CommandFlags.None, message, inner, CommandStatus.Unknown);
}
