using static DepHealth.AspNetCore.Tests.Metrics.OpenMetricsStrictParser;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>
/// One MetricFamily as <see cref="OpenMetricsStrictParser"/> reads it, checking the rules of its type: unique label
/// sets, metrics not interleaved, a counter's <c>_total</c>, a histogram's sorted canonical buckets up to <c>+Inf</c>.
/// </summary>
internal sealed class OpenMetricsFamily(string name)
{
    private readonly HashSet<string> _labelSets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _closedMetrics = new(StringComparer.Ordinal);
    private readonly List<ParsedSample> _metric = [];
    private string? _metricKey;

    public string Name { get; } = name;

    /// <summary>The declared type; unknown without a TYPE line.</summary>
    public string Type { get; set; } = "unknown";

    public HashSet<string> Metadata { get; } = new(StringComparer.Ordinal);

    public int SampleCount { get; private set; }

    public bool Owns(string sampleName) => Suffixes[Type].Any(s => Name + s == sampleName);

    public void Add(ParsedSample sample)
    {
        SampleCount++;
        var labels = string.Join(',', sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        Check(_labelSets.Add(sample.Name + "{" + labels + "}"), "every sample of a family has a unique label set");
        var key = string.Join(',', sample.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        if (key != _metricKey)
        {
            CloseMetric();
            Check(!_closedMetrics.Contains(key), "metrics are not interleaved");
            _metricKey = key;
        }

        _metric.Add(sample);
    }

    public void Close() => CloseMetric();

    private void CloseMetric()
    {
        if (_metricKey is null)
        {
            return;
        }

        _closedMetrics.Add(_metricKey);
        switch (Type)
        {
            case "counter":
                var total = _metric.SingleOrDefault(s => s.Name == Name + "_total");
                Check(total is not null, $"counter {Name} has one {Name}_total sample per metric");
                Check(!double.IsNaN(total!.Value) && total.Value >= 0, "a counter's total is not NaN nor negative");
                break;
            case "histogram":
                CheckHistogram();
                break;
        }

        _metric.Clear();
        _metricKey = null;
    }

    private void CheckHistogram()
    {
        var buckets = _metric.Where(s => s.Name == Name + "_bucket").ToList();
        Check(_metric.Where(s => s.Name != Name + "_bucket").All(s => !s.Labels.ContainsKey("le")), "only buckets carry le");
        Check(buckets.Count > 0 && buckets.All(b => b.Labels.ContainsKey("le")), "a histogram has buckets, each with le");
        var previous = (Bound: double.NegativeInfinity, Count: 0.0);
        foreach (var bucket in buckets)
        {
            var le = bucket.Labels["le"];
            Check(le == "+Inf" || le.Contains('.', StringComparison.Ordinal) || le.Contains('e', StringComparison.Ordinal), $"le=\"{le}\" is a canonical number (.0 appended to integers)");
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, System.Globalization.CultureInfo.InvariantCulture);
            Check(bound > previous.Bound, "buckets are sorted by increasing le, each le once");
            Check(IsInteger(bucket), "bucket values are integers");
            Check(bucket.Value >= previous.Count, "buckets are cumulative");
            previous = (bound, bucket.Value);
        }

        Check(double.IsPositiveInfinity(previous.Bound), "the last bucket is le=\"+Inf\"");
        var count = _metric.SingleOrDefault(s => s.Name == Name + "_count");
        var sum = _metric.SingleOrDefault(s => s.Name == Name + "_sum");
        Check((count is null) == (sum is null), "_count appears if and only if _sum does");
        if (count is not null)
        {
            Check(IsInteger(count) && count.Value == previous.Count, "_count is an integer equal to the +Inf bucket");
            Check(!double.IsNaN(sum!.Value) && sum.Value >= 0, "_sum is not NaN nor negative");
        }
    }

    private static bool IsInteger(ParsedSample sample) =>
        !sample.ValueText.Contains('.', StringComparison.Ordinal) && !sample.ValueText.Contains('e', StringComparison.OrdinalIgnoreCase) && long.TryParse(sample.ValueText, out _);
}
