using DepHealth.AspNetCore.Telemetry;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>The package's own families that are not per endpoint, written after the per-endpoint ones.</summary>
internal sealed class PackageSeries(
    RegistryChangeCounter registryChanges,
    SchedulerStatistics statistics,
    ConfigReloadMetrics reloads)
{
    public void Write(ref Utf8TextWriter w, ExpositionFormat format)
    {
        WriteRegistryChanges(ref w, format);
        WriteInFlight(ref w, format);
        WriteReloads(ref w, format);
    }

    private void WriteRegistryChanges(ref Utf8TextWriter w, ExpositionFormat format)
    {
        w.Write(format.Header(MetricFamily.RegistryChanges));
        foreach (var (operation, result, count) in registryChanges.Snapshot())
        {
            w.Write("app_dependency_registry_changes_total{operation=\""u8);
            w.Write(operation);
            w.Write("\",result=\""u8);
            w.Write(result);
            w.Write("\"} "u8);
            w.Write(count);
            w.Write((byte)'\n');
        }
    }

    private void WriteInFlight(ref Utf8TextWriter w, ExpositionFormat format)
    {
        w.Write(format.Header(MetricFamily.ChecksInFlight));
        w.Write("app_dependency_checks_in_flight "u8);
        w.Write(statistics.InFlight);
        w.Write((byte)'\n');
    }

    private void WriteReloads(ref Utf8TextWriter w, ExpositionFormat format)
    {
        w.Write(format.Header(MetricFamily.ConfigReloads));
        w.Write("app_dependency_config_reloads_total{result=\"failure\"} "u8);
        w.Write(reloads.Failures);
        w.Write("\napp_dependency_config_reloads_total{result=\"success\"} "u8);
        w.Write(reloads.Successes);
        w.Write((byte)'\n');

        var (cumulative, sum, count) = reloads.ReadDuration();
        w.Write(format.Header(MetricFamily.ConfigReloadDuration));
        for (var b = 0; b < cumulative.Length; b++)
        {
            w.Write("app_dependency_config_reload_duration_seconds_bucket{le=\""u8);
            w.Write(format.LeValues[b]);
            w.Write("\"} "u8);
            w.Write(cumulative[b]);
            w.Write((byte)'\n');
        }

        w.Write("app_dependency_config_reload_duration_seconds_sum "u8);
        w.Write(sum);
        w.Write("\napp_dependency_config_reload_duration_seconds_count "u8);
        w.Write(count);
        w.Write((byte)'\n');
    }
}
