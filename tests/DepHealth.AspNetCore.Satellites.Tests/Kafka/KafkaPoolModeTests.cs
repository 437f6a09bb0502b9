using Confluent.Kafka;
using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>
/// The kafka check in pool mode (DescribeCluster through the application's client, which librdkafka sends as a Metadata
/// request) against the stand-in broker.
/// </summary>
[Trait("Category", "unit")]
public sealed class KafkaPoolModeTests
{
    [Fact]
    public async Task PoolMode_WithTheApplicationsAdminClient_IsOk()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var admin = AdminClient(broker.Address);
        using var harness = Harness.Create(b => b.AddKafka("events", broker.Address, _ => admin, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
        Assert.Contains(KafkaApi.Metadata, broker.Requests);
    }

    [Fact]
    public async Task PoolMode_WithTheApplicationsProducer_IsOk()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var producer = Producer(broker.Address);
        using var harness = Harness.Create(b => b.AddKafka("events", broker.Address, _ => producer, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_TakesHostAndPortFromTheFirstBootstrapServer()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var admin = AdminClient(broker.Address);
        using var harness = Harness.Create(b => b.AddKafka("events", $"{broker.Address},other-broker:9093", _ => admin, critical: true));

        Assert.Equal(("kafka", "127.0.0.1", broker.Port), (harness.Single.Type, harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task PoolMode_WhenTheBrokerGoesAway_IsNotOk()
    {
        var broker = KafkaBrokerStandIn.Start();
        using var producer = Producer(broker.Address);
        using var harness = Harness.Create(b => b.AddKafka("events", broker.Address, _ => producer, critical: true, d => d.Timeout = TimeSpan.FromSeconds(2)));
        var checker = harness.CheckerFor(harness.Single);
        Assert.Equal("ok", (await CheckRunner.RunAsync(checker, harness.Single)).Detail);

        await broker.DisposeAsync();
        var outcome = await CheckRunner.RunAsync(checker, harness.Single);

        Assert.NotEqual("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_DisposingTheChecker_LeavesTheApplicationsProducerUsable()
    {
        await using var broker = KafkaBrokerStandIn.Start();
        using var producer = Producer(broker.Address);
        using var harness = Harness.Create(b => b.AddKafka("events", broker.Address, _ => producer, critical: true));
        ((IDisposable)harness.CheckerFor(harness.Single)).Dispose();

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    private static IAdminClient AdminClient(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).SetLogHandler((_, _) => { }).Build();

    private static IProducer<Null, string> Producer(string bootstrap) =>
        new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap }).SetLogHandler((_, _) => { }).Build();
}
