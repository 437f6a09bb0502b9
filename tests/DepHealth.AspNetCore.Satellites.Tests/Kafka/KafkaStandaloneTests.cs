using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The standalone kafka check of DepHealth.AspNetCore.Kafka (a Metadata request per check) against the broker stand-in.</summary>
[Trait("Category", "unit")]
public sealed class KafkaStandaloneTests
{
    [Fact]
    public async Task Plaintext_BrokerAnswersMetadata_IsOk()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}");

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
        Assert.Contains(KafkaApi.Metadata, broker.Requests);
    }

    [Fact]
    public async Task BrokerListingNoBrokers_IsNoBrokers()
    {
        await using var broker = KafkaBrokerStandIn.Start(new KafkaStandInOptions { ListBrokers = false });
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}");

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("no_brokers", outcome.Detail);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        using var harness = KafkaHarness.Standalone($"kafka://127.0.0.1:{LocalPorts.Unused()}");

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task UnresolvableHost_IsDnsError()
    {
        using var harness = KafkaHarness.Standalone("kafka://no-such-broker.invalid:9092");

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("dns_error", outcome.Detail);
    }

    [Fact]
    public async Task HungBroker_AcceptsButNeverAnswers_IsTimeout()
    {
        await using var silent = new SilentServer();
        using var harness = KafkaHarness.Standalone($"kafka://127.0.0.1:{silent.Port}", d => d.Timeout = TimeSpan.FromSeconds(1));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("timeout", outcome.Detail);
        Assert.True(silent.Accepted.IsCompleted);
    }
}
