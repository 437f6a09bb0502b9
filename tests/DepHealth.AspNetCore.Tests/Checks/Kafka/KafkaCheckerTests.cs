using DepHealth.AspNetCore.Checks.Kafka;

namespace DepHealth.AspNetCore.Tests.Checks.Kafka;

/// <summary>The Kafka check against a fake broker that speaks the wire protocol.</summary>
[Trait("Category", "unit")]
public sealed class KafkaCheckerTests
{
    private static readonly KafkaCheckerFactory Factory = new();

    [Fact]
    public async Task Request_is_metadata_v4_asking_for_no_topics()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 1));

        await DetailAsync($"kafka://127.0.0.1:{broker.Port}");

        var request = Assert.Single(broker.Requests);
        Assert.Equal(3, request.ApiKey);
        Assert.Equal(4, request.ApiVersion);
        Assert.Equal("dephealth", request.ClientId);
        Assert.Equal(0, request.TopicCount);
        Assert.False(request.AllowAutoTopicCreation);
    }

    [Fact]
    public async Task One_broker_is_ok()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 1));

        Assert.Equal(CheckDetails.Ok, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Several_brokers_with_and_without_rack_are_ok()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 5));

        Assert.Equal(CheckDetails.Ok, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Zero_brokers_is_no_brokers()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 0));

        Assert.Equal(CheckDetails.NoBrokers, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Each_check_uses_a_new_correlation_id_and_accepts_its_echo()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 1));
        var spec = Spec($"kafka://127.0.0.1:{broker.Port}");
        var checker = Factory.Create(spec, null!);

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(checker, spec));
        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(checker, spec));

        var ids = broker.Requests.Select(r => r.CorrelationId).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public async Task Wrong_correlation_id_is_error()
    {
        await using var broker = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId + 1, 1));

        Assert.Equal(CheckDetails.Error, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Response_cut_short_of_its_frame_size_is_error()
    {
        // The size prefix promises the whole response; the broker then hangs up halfway.
        await using var broker = new FakeKafkaBroker(r =>
        {
            var response = FakeKafkaBroker.MetadataResponse(r.CorrelationId, 3);
            return response[..(response.Length / 2)];
        });

        Assert.Equal(CheckDetails.Error, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Frame_shorter_than_its_broker_list_is_error()
    {
        // A complete frame whose broker count promises more entries than it holds.
        await using var broker = new FakeKafkaBroker(r =>
        {
            var body = FakeKafkaBroker.MetadataResponse(r.CorrelationId, 3)[4..];
            return FakeKafkaBroker.Frame(body[..30]);
        });

        Assert.Equal(CheckDetails.Error, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Frame_size_beyond_the_bound_is_error()
    {
        await using var broker = new FakeKafkaBroker(_ => [0x7F, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(CheckDetails.Error, await DetailAsync($"kafka://127.0.0.1:{broker.Port}"));
    }

    [Fact]
    public async Task Closed_port_is_connection_refused()
    {
        Assert.Equal(CheckDetails.ConnectionRefused, await DetailAsync($"kafka://127.0.0.1:{LoopbackTcpServer.UnusedPort()}"));
    }

    [Fact]
    public async Task Multi_host_url_checks_each_broker_on_its_own_port()
    {
        await using var first = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 2));
        await using var second = new FakeKafkaBroker(r => FakeKafkaBroker.MetadataResponse(r.CorrelationId, 2));
        var specs = CheckerRun.Specs(new DependencyOptions { Url = $"kafka://127.0.0.1:{first.Port},127.0.0.1:{second.Port}" });

        Assert.Equal(2, specs.Count);
        foreach (var spec in specs)
        {
            Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(Factory, spec));
        }

        Assert.Single(first.Requests);
        Assert.Single(second.Requests);
    }

    private static EndpointSpec Spec(string url) => CheckerRun.Spec(new DependencyOptions { Url = url });

    private static Task<string> DetailAsync(string url) => CheckerRun.DetailAsync(Factory, Spec(url));
}
