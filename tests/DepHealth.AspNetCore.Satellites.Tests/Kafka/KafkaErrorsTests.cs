using Confluent.Kafka;
using DepHealth.AspNetCore.Kafka.Checks;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>Which librdkafka errors end a standalone check at once, and their details.</summary>
[Trait("Category", "unit")]
public sealed class KafkaErrorsTests
{
    [Fact]
    public void RefusedConnection_IsNotFinal_WhileTheHostHasAddressesLeftToTry()
    {
        var refused = new Error(ErrorCode.Local_Transport, "Connect to ipv6#[::1]:9092 failed: Connection refused");

        Assert.Equal((false, true), (KafkaErrors.IsFinal(refused, 1, 2), KafkaErrors.IsFinal(refused, 2, 2)));
    }

    [Fact]
    public void AllBrokersDown_IsNeverFinal_AsItNamesNoCause()
    {
        Assert.False(KafkaErrors.IsFinal(new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"), 5, 1));
    }

    [Theory]
    [InlineData(ErrorCode.Local_Resolve, "dns_error")]
    [InlineData(ErrorCode.Local_Ssl, "tls_error")]
    [InlineData(ErrorCode.Local_Authentication, "auth_error")]
    [InlineData(ErrorCode.SaslAuthenticationFailed, "auth_error")]
    [InlineData(ErrorCode.Local_TimedOut, "timeout")]
    [InlineData(ErrorCode.Local_Partial, "no_brokers")]
    [InlineData(ErrorCode.Local_Transport, "connection_refused")]
    [InlineData(ErrorCode.Local_Fatal, "error")]
    public void Classify_MapsTheCodeToTheContractDetail(ErrorCode code, string detail) =>
        Assert.Equal(detail, KafkaErrors.Classify(new Error(code, "reason")));

    [Fact]
    public void TransportFailure_InTheTlsHandshake_IsTlsError() =>
        Assert.Equal("tls_error", KafkaErrors.Classify(new Error(ErrorCode.Local_Transport, "SSL handshake failed: Disconnected: SSL connection closed by peer")));

    [Fact]
    public void Disconnect_SeenWhileInTheTlsHandshakeState_IsTlsError() =>
        Assert.Equal("tls_error", KafkaErrors.Classify(new Error(
            ErrorCode.Local_Transport, "ssl://127.0.0.1:9093/bootstrap: Disconnected: SSL connection closed by peer (after 0ms in state SSL_HANDSHAKE)")));

    [Fact]
    public void RefusedConnection_InTheConnectState_StaysConnectionRefused() =>
        Assert.Equal("connection_refused", KafkaErrors.Classify(new Error(
            ErrorCode.Local_Transport, "ssl://127.0.0.1:9093/bootstrap: Connect to ipv4#127.0.0.1:9093 failed: Connection refused (after 0ms in state CONNECT)")));
}
