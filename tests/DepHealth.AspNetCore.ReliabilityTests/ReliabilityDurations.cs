namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Durations and sizes of the load and churn tests: short by default (CI), the full figures with
/// <c>DEPHEALTH_RELIABILITY_FULL=1</c> (60 s of load, 100,000 registry operations).
/// </summary>
internal static class ReliabilityDurations
{
    public static bool Full => Environment.GetEnvironmentVariable("DEPHEALTH_RELIABILITY_FULL") == "1";

    public static TimeSpan Load => Full ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(10);

    public static int ChurnOperations => Full ? 100_000 : 20_000;
}
