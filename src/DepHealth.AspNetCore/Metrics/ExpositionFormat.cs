using System.Collections.Frozen;
using System.Text;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// A text format <c>/metrics</c> speaks: the Prometheus text format 0.0.4 (the default) or OpenMetrics 1.0.0. The samples
/// are the same bytes in both; what differs is rendered here once: family headers, <c>le</c> values and the end.
/// </summary>
internal sealed class ExpositionFormat
{
    private readonly Func<MetricFamily, string> _header;
    private readonly FrozenDictionary<MetricFamily, byte[]> _headers;

    private ExpositionFormat(string mediaType, string version, Func<MetricFamily, string> header, string[] leValues, string end)
    {
        MediaType = mediaType;
        Version = version;
        ContentType = $"{mediaType}; version={version}; charset=utf-8";
        _header = header;
        _headers = MetricFamily.All.ToFrozenDictionary(f => f, f => Encoding.UTF8.GetBytes(header(f)));
        LeValues = leValues;
        BucketLabels = [.. LeValues.Select(v => Encoding.UTF8.GetBytes($",le=\"{v}\"}} "))];
        End = Encoding.UTF8.GetBytes(end);
    }

    /// <summary>Prometheus text 0.0.4: HELP then TYPE, <c>le</c> as the contract lists the buckets, no end marker.</summary>
    public static ExpositionFormat PrometheusText { get; } = new(
        "text/plain",
        "0.0.4",
        f => $"# HELP {f.Name} {EscapeHelp(f.Help, quotes: false)}\n# TYPE {f.Name} {f.Type}\n",
        LatencyBuckets.Labels,
        string.Empty);

    /// <summary>
    /// OpenMetrics 1.0.0: TYPE, UNIT (when the family has one), HELP, counters named without <c>_total</c>, <c>le</c> as
    /// canonical numbers, and <c># EOF</c> last.
    /// </summary>
    public static ExpositionFormat OpenMetrics { get; } = new(
        "application/openmetrics-text",
        "1.0.0",
        f => $"# TYPE {f.OpenMetricsName} {f.Type}\n"
            + (f.Unit is null ? string.Empty : $"# UNIT {f.OpenMetricsName} {f.Unit}\n")
            + $"# HELP {f.OpenMetricsName} {EscapeHelp(f.Help, quotes: true)}\n",
        [.. LatencyBuckets.UpperBounds.Select(CanonicalNumber.Format), "+Inf"],
        "# EOF\n");

    /// <summary>The media type without parameters, as <c>Accept</c> names it.</summary>
    public string MediaType { get; }

    /// <summary>The <c>version</c> parameter of the media type.</summary>
    public string Version { get; }

    /// <summary>The exact <c>Content-Type</c> of a response in this format.</summary>
    public string ContentType { get; }

    /// <summary>The <c>le</c> label values of the latency buckets, <c>+Inf</c> last.</summary>
    public string[] LeValues { get; }

    /// <summary>The end of a bucket's label set, <c>,le="…"} </c>, per bucket.</summary>
    public byte[][] BucketLabels { get; }

    /// <summary>What follows the last family.</summary>
    public byte[] End { get; }

    /// <summary>The metadata lines that open <paramref name="family"/>.</summary>
    public byte[] Header(MetricFamily family) => _headers[family];

    /// <summary>
    /// Escapes a HELP text: backslash and newline in both formats, double quotes too in OpenMetrics (where HELP is an
    /// escaped string like a label value).
    /// </summary>
    private static string EscapeHelp(string help, bool quotes)
    {
        var text = new StringBuilder(help.Length);
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when quotes => text.Append("\\\""),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    /// <summary>Renders the header of any family, the exposition's own ones being rendered once, in advance.</summary>
    internal string RenderHeader(MetricFamily family) => _header(family);
}
