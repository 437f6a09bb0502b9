namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Tests that measure the process's managed memory or its latency under load run alone: another test running beside
/// them would be measured too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemorySensitive
{
    public const string Name = "memory and load sensitive";
}
