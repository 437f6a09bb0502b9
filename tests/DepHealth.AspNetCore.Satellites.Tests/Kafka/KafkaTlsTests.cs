namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The standalone kafka check over TLS, against the stand-in broker behind a self-signed certificate.</summary>
[Trait("Category", "unit")]
public sealed class KafkaTlsTests
{
    [Fact]
    public async Task Tls_WithVerificationSkipped_IsOk()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var broker = KafkaBrokerStandIn.Start(new KafkaStandInOptions { Certificate = certificate });
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d => (d.Tls, d.TlsSkipVerify) = (true, true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Tls_WithAnUntrustedCertificate_IsTlsError()
    {
        using var certificate = TestCertificates.SelfSigned();
        await using var broker = KafkaBrokerStandIn.Start(new KafkaStandInOptions { Certificate = certificate });
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d => d.Tls = true);

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("tls_error", outcome.Detail);
    }

    [Fact]
    public async Task Tls_AgainstAPlaintextListener_IsTlsError()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d => (d.Tls, d.TlsSkipVerify) = (true, true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("tls_error", outcome.Detail);
    }

    [Fact]
    public async Task SaslPlain_OverTls_IsOk()
    {
        using var certificate = TestCertificates.SelfSigned();
        var options = new KafkaStandInOptions { Certificate = certificate, SaslMechanism = "PLAIN" };
        await using var broker = KafkaBrokerStandIn.Start(options);
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d =>
        {
            (d.Tls, d.TlsSkipVerify) = (true, true);
            (d.Options[DepHealth.AspNetCore.Kafka.KafkaOptionKeys.SaslMechanism], d.Username, d.Password) = ("PLAIN", options.Username, options.Password);
        });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
        Assert.Contains(KafkaApi.SaslAuthenticate, broker.Requests);
    }
}
