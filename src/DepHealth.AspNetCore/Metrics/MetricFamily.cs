namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// One metric family of <c>/metrics</c>: its name as the Prometheus text format declares it, its type, HELP text and
/// unit. The contract's four families and the package's own; each <see cref="ExpositionFormat"/> renders their headers.
/// </summary>
internal sealed class MetricFamily
{
    internal MetricFamily(string name, string type, string help, string? unit = null)
    {
        Name = name;
        Type = type;
        Help = help;
        Unit = unit;
    }

    public static MetricFamily Health { get; } = new("app_dependency_health", "gauge", "Health status of a dependency (1 = healthy, 0 = unhealthy)");

    public static MetricFamily Latency { get; } = new("app_dependency_latency_seconds", "histogram", "Latency of dependency health check in seconds", "seconds");

    public static MetricFamily Status { get; } = new("app_dependency_status", "gauge", "Category of the last check result");

    public static MetricFamily Detail { get; } = new("app_dependency_status_detail", "gauge", "Detailed reason of the last check result");

    public static MetricFamily Flaps { get; } = new("app_dependency_flaps_total", "counter", "Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)");

    public static MetricFamily RegistryChanges { get; } = new("app_dependency_registry_changes_total", "counter", "Changes applied to the endpoint registry");

    public static MetricFamily ChecksInFlight { get; } = new("app_dependency_checks_in_flight", "gauge", "Dependency checks started and not yet completed, including abandoned ones");

    public static MetricFamily ConfigReloads { get; } = new("app_dependency_config_reloads_total", "counter", "Configuration reloads of the monitored dependencies, by result");

    public static MetricFamily ConfigReloadDuration { get; } = new("app_dependency_config_reload_duration_seconds", "histogram", "Time to validate and apply a configuration reload", "seconds");

    /// <summary>Every family, in the order of the exposition.</summary>
    public static IReadOnlyList<MetricFamily> All { get; } =
        [Health, Latency, Status, Detail, Flaps, RegistryChanges, ChecksInFlight, ConfigReloads, ConfigReloadDuration];

    /// <summary>The name in the Prometheus text format, which a counter's samples also carry (with <c>_total</c>).</summary>
    public string Name { get; }

    public string Type { get; }

    public string Help { get; }

    /// <summary>The unit OpenMetrics declares, a suffix of the name; null when the family has none.</summary>
    public string? Unit { get; }

    /// <summary>OpenMetrics names a counter family without the <c>_total</c> suffix that its samples keep.</summary>
    public string OpenMetricsName => Type == "counter" && Name.EndsWith("_total", StringComparison.Ordinal) ? Name[..^"_total".Length] : Name;
}
