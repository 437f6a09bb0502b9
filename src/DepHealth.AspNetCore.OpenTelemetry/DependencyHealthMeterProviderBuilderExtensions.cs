using DepHealth.AspNetCore;

namespace OpenTelemetry.Metrics;

/// <summary>Adds DepHealth.AspNetCore's instruments to an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class DependencyHealthMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects the meter <see cref="DependencyHealthMetrics.MeterName"/>: the four <c>app_dependency_*</c> contract
    /// families (the latency histogram with the contract's buckets, from the instrument's advice) and the package's own
    /// counters, for whatever exporter the builder has. Call <c>AddDependencyHealth(...)</c> on the services as well.
    /// </summary>
    /// <param name="builder">The meter provider builder from <c>AddOpenTelemetry().WithMetrics(...)</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddDependencyHealthInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(DependencyHealthMetrics.MeterName);
    }
}
