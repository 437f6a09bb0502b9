using System.Text.Json;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// One scrape job of <see cref="PrometheusServer"/>: a target, URL parameters Prometheus adds to each scrape, and the
/// scrape protocol it asks for when it reads <c>scrape_protocols</c> (ignored by older versions), and the path to scrape
/// when it is not <c>/metrics</c>.
/// </summary>
public sealed record ScrapeJob(string Name, string Target, IReadOnlyDictionary<string, string>? Params = null, string? Protocol = null, string? MetricsPath = null)
{
    public string ToYaml(bool supportsProtocols)
    {
        var lines = new List<string> { $"  - job_name: {Name}" };
        if (supportsProtocols && Protocol is not null)
        {
            lines.Add($"    scrape_protocols: [{Protocol}]");
        }

        if (MetricsPath is not null)
        {
            lines.Add($"    metrics_path: {JsonSerializer.Serialize(MetricsPath)}");
        }

        if (Params is { Count: > 0 })
        {
            lines.Add("    params:");
            lines.AddRange(Params.Select(p => $"      {p.Key}: [{JsonSerializer.Serialize(p.Value)}]"));
        }

        lines.Add("    static_configs:");
        lines.Add($"      - targets: [{JsonSerializer.Serialize(Target)}]");
        return string.Join('\n', lines);
    }
}
