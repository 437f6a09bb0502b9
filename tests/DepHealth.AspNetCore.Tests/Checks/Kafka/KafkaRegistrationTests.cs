
namespace DepHealth.AspNetCore.Tests.Checks.Kafka;

[Trait("Category", "unit")]
public sealed class KafkaRegistrationTests
{
    [Fact]
    public void AddKafka_with_a_broker_list_passes_startup_validation()
    {
        Assert.Empty(StartupValidation.Failures(b => b.AddKafka("events", "kafka://b0:9092,b1", critical: false)));
    }

    [Fact]
    public void AddKafka_with_tls_fails_startup_validation_on_its_key()
    {
        var failure = Assert.Single(StartupValidation.Failures(b => b.AddKafka("events", "kafka://b0:9092", critical: false, d => d.Tls = true)));

        Assert.StartsWith("DependencyHealth:Dependencies:events:Tls:", failure, StringComparison.Ordinal);
    }
}
