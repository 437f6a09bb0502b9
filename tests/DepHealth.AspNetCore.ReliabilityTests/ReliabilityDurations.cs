namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Sizes of the churn and load tests: short by default (CI), the full figures with
/// <c>DEPHEALTH_RELIABILITY_FULL=1</c> (100,000 registry operations; 60 s of load).
/// </summary>
internal static class ReliabilityDurations
{
    public static bool Full => Environment.GetEnvironmentVariable("DEPHEALTH_RELIABILITY_FULL") == "1";

    public static int ChurnOperations => Full ? 100_000 : 20_000;

    /// <summary>The measured load window, after a warm-up of the same load.</summary>
    public static TimeSpan Load => Full ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(20);
}
