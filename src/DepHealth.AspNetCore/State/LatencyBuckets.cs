namespace DepHealth.AspNetCore.State;

/// <summary>The contract's histogram buckets for check latency, in seconds.</summary>
internal static class LatencyBuckets
{
    public static readonly double[] UpperBounds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

    /// <summary>The <c>le</c> label values, +Inf last, exactly as exported.</summary>
    public static readonly string[] Labels = ["0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"];

    /// <summary>The index of the first bucket whose bound is at least <paramref name="seconds"/>; the +Inf index when none.</summary>
    public static int IndexOf(double seconds)
    {
        var bounds = UpperBounds;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (seconds <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Length;
    }
}
