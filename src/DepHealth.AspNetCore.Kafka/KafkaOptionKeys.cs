namespace DepHealth.AspNetCore.Kafka;

/// <summary>The option keys of type <c>kafka</c> this package adds, for <see cref="DependencyOptions.Options"/> and configuration.</summary>
public static class KafkaOptionKeys
{
    /// <summary>The SASL mechanism for <c>Username</c> and <c>Password</c>: <c>PLAIN</c>, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>.</summary>
    public const string SaslMechanism = "SaslMechanism";
}
