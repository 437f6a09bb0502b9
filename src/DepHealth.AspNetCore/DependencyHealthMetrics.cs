namespace DepHealth.AspNetCore;

/// <summary>
/// Where the package's <see cref="System.Diagnostics.Metrics"/> instruments live, for OpenTelemetry and other listeners
/// (<c>AddMeter(DependencyHealthMetrics.MeterName)</c>).
/// </summary>
public static class DependencyHealthMetrics
{
    /// <summary>The name of the meter that carries the <c>app_dependency_*</c> instruments: <c>DepHealth.AspNetCore</c>.</summary>
    public const string MeterName = "DepHealth.AspNetCore";
}
