namespace DepHealth.AspNetCore;

/// <summary>The contract's defaults and limits for check settings.</summary>
internal static class ContractLimits
{
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MinCheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxCheckInterval = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxInitialDelay = TimeSpan.FromMinutes(5);

    public const int MinThreshold = 1;
    public const int MaxThreshold = 10;

    public const int MinConcurrentChecks = 1;
    public const int MaxConcurrentChecks = 100_000;

    public const int MaxNameLength = 63;
}
