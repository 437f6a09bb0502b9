namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The standalone kafka check with SASL PLAIN and SCRAM, against the stand-in broker's one user.</summary>
[Trait("Category", "unit")]
public sealed class KafkaSaslTests
{
    private const string WrongPassword = "wrong-kafka-password-9c3a";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task Sasl_WithTheRightPassword_IsOk(string mechanism)
    {
        var options = new KafkaStandInOptions { SaslMechanism = mechanism };
        await using var broker = KafkaBrokerStandIn.Start(options);
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d =>
            (d.Options[DepHealth.AspNetCore.Kafka.KafkaOptionKeys.SaslMechanism], d.Username, d.Password) = (mechanism, options.Username, options.Password));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
        Assert.Contains(KafkaApi.Metadata, broker.Requests);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task Sasl_WithAWrongPassword_IsAuthError(string mechanism)
    {
        var options = new KafkaStandInOptions { SaslMechanism = mechanism };
        await using var broker = KafkaBrokerStandIn.Start(options);
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d =>
            (d.Options[DepHealth.AspNetCore.Kafka.KafkaOptionKeys.SaslMechanism], d.Username, d.Password) = (mechanism, options.Username, WrongPassword));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
        Assert.DoesNotContain(KafkaApi.Metadata, broker.Requests);
    }

    [Fact]
    public async Task Sasl_WithCredentialsInTheUrl_IsOk()
    {
        var options = new KafkaStandInOptions { SaslMechanism = "SCRAM-SHA-256", Password = "p@ss/w:rd" };
        await using var broker = KafkaBrokerStandIn.Start(options);
        using var harness = KafkaHarness.Standalone(
            $"kafka://{options.Username}:{Uri.EscapeDataString(options.Password)}@{broker.Address}", d => d.Options["SaslMechanism"] = "SCRAM-SHA-256");

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Sasl_WrongPassword_NeverAppearsInTheFailure()
    {
        await using var broker = KafkaBrokerStandIn.Start(new KafkaStandInOptions { SaslMechanism = "PLAIN" });
        using var harness = KafkaHarness.Standalone($"kafka://{broker.Address}", d =>
            (d.Options[DepHealth.AspNetCore.Kafka.KafkaOptionKeys.SaslMechanism], d.Username, d.Password) = ("PLAIN", "checker", WrongPassword));

        var outcome = await harness.CheckSingleAsync();

        Assert.DoesNotContain(WrongPassword, outcome.Exception!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScramFromConfiguration_IsOk()
    {
        var options = new KafkaStandInOptions { SaslMechanism = "SCRAM-SHA-256" };
        await using var broker = KafkaBrokerStandIn.Start(options);
        using var harness = Infrastructure.Harness.Create(b => b.AddKafkaChecks(), configuration: new Dictionary<string, string?>
        {
            ["DependencyHealth:Dependencies:events:Url"] = $"kafka://{broker.Address}",
            ["DependencyHealth:Dependencies:events:Critical"] = "true",
            ["DependencyHealth:Dependencies:events:SaslMechanism"] = "SCRAM-SHA-256",
            ["DependencyHealth:Dependencies:events:Username"] = options.Username,
            ["DependencyHealth:Dependencies:events:Password"] = options.Password,
        });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }
}
