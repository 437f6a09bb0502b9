namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Sizes of the churn test: short by default (CI), the full figure with <c>DEPHEALTH_RELIABILITY_FULL=1</c>
/// (100,000 registry operations).
/// </summary>
internal static class ReliabilityDurations
{
    public static bool Full => Environment.GetEnvironmentVariable("DEPHEALTH_RELIABILITY_FULL") == "1";

    public static int ChurnOperations => Full ? 100_000 : 20_000;
}
