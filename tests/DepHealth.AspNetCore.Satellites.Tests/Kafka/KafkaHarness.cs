using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>Registrations of the kafka satellite for the tests: standalone from a URL, with <c>AddKafkaChecks()</c>.</summary>
internal static class KafkaHarness
{
    public static Harness Standalone(string url, Action<DependencyOptions>? configure = null) =>
        Harness.Create(b => b.AddKafkaChecks().AddKafka("events", url, critical: true, configure));
}
