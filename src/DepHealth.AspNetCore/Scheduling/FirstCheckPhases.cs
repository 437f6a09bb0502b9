namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// Where the first checks of the endpoints configured at startup fall. Endpoints that share an interval and an initial
/// delay share a first tick in batches of at most <see cref="BatchSize"/>; more batches are spaced evenly over a tenth
/// of the interval (at most 1 s), so a large fleet does not start all at once and a small one wakes once per interval.
/// </summary>
internal static class FirstCheckPhases
{
    /// <summary>Endpoints per first tick at most, when first checks are spread.</summary>
    public const int BatchSize = 64;

    /// <summary>The delay after the initial delay of the first check of endpoint <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static TimeSpan Offset(int index, int count, TimeSpan interval, bool spread)
    {
        if (!spread || count <= BatchSize)
        {
            return TimeSpan.Zero;
        }

        var batches = (count + BatchSize - 1) / BatchSize;
        var window = Math.Min(interval.Ticks / 10, TimeSpan.TicksPerSecond);
        return TimeSpan.FromTicks(window * (index % batches) / batches);
    }
}
