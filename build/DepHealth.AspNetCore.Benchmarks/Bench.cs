using System.Globalization;

namespace DepHealth.AspNetCore.Benchmarks;

/// <summary>Run-wide settings: quick mode shortens durations (and the same scenarios run); see build/BENCHMARKS.md.</summary>
internal static class Bench
{
    public static bool Quick { get; set; }

    public static bool ProfileAllocations { get; set; }

    public static TimeSpan Seconds(double full, double quick) => TimeSpan.FromSeconds(Quick ? quick : full);

    public static int Count(int full, int quick) => Quick ? quick : full;

    public static string Format(object? value) => value switch
    {
        double d when !double.IsFinite(d) => "n/a",
        double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("0.#", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        null => "null",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
