namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>
/// When live managed memory counts as flat over a load window: within 5% plus 4 MB of the baseline taken after the
/// warm-up (both after forced, compacting full collections), about 6.7 MB on the 53 MB that 10,000 endpoints hold. A
/// leak of 350 B per probe or per check, or of 35 KB per scrape, exceeds it in a 20 s window (a third of that in 60 s);
/// the 4 MB absorbs what is kept after the busiest moment and is no leak: Kestrel's pinned blocks (a scrape in flight
/// holds up to its 256 KB flush) and the exposition's second set of snapshot arrays (about 2 MB at 10,000 endpoints)
/// once two scrapes have overlapped.
/// </summary>
public static class FlatMemory
{
    public const double GrowthFraction = 0.05;
    public const long GrowthBytes = 4 * 1024 * 1024;

    public static bool Holds(long before, long after) => after <= (before * (1 + GrowthFraction)) + GrowthBytes;
}
