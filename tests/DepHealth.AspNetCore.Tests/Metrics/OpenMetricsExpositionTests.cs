using System.Globalization;
using System.IO.Pipelines;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Text;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>
/// The OpenMetrics 1.0 rendering of every family (the contract's and the package's own) against the specification:
/// metadata, counter and histogram naming, canonical <c>le</c>, escaping, <c># EOF</c>; and the same samples as 0.0.4.
/// </summary>
[Trait("Category", "unit")]
public sealed class OpenMetricsExpositionTests
{
    [Fact]
    public async Task Every_family_is_declared_type_unit_help_with_counters_named_without_total()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        var metadata = FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics).Split('\n').Where(l => l.StartsWith('#')).ToArray();

        Assert.Equal(
        [
            "# TYPE app_dependency_health gauge",
            "# HELP app_dependency_health Health status of a dependency (1 = healthy, 0 = unhealthy)",
            "# TYPE app_dependency_latency_seconds histogram",
            "# UNIT app_dependency_latency_seconds seconds",
            "# HELP app_dependency_latency_seconds Latency of dependency health check in seconds",
            "# TYPE app_dependency_status gauge",
            "# HELP app_dependency_status Category of the last check result",
            "# TYPE app_dependency_status_detail gauge",
            "# HELP app_dependency_status_detail Detailed reason of the last check result",
            "# TYPE app_dependency_flaps counter",
            "# HELP app_dependency_flaps Times a dependency endpoint started flapping (more health changes than the flap threshold within its history)",
            "# TYPE app_dependency_registry_changes counter",
            "# HELP app_dependency_registry_changes Changes applied to the endpoint registry",
            "# TYPE app_dependency_checks_in_flight gauge",
            "# HELP app_dependency_checks_in_flight Dependency checks started and not yet completed, including abandoned ones",
            "# TYPE app_dependency_config_reloads counter",
            "# HELP app_dependency_config_reloads Configuration reloads of the monitored dependencies, by result",
            "# TYPE app_dependency_config_reload_duration_seconds histogram",
            "# UNIT app_dependency_config_reload_duration_seconds seconds",
            "# HELP app_dependency_config_reload_duration_seconds Time to validate and apply a configuration reload",
            "# EOF",
        ], metadata);
    }

    [Fact]
    public async Task Exposition_ends_with_EOF()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        Assert.EndsWith("\napp_dependency_config_reload_duration_seconds_count 0\n# EOF\n", FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Histogram_buckets_carry_canonical_le_values()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        var buckets = FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics).Split('\n')
            .Where(l => l.StartsWith("app_dependency_latency_seconds_bucket{", StringComparison.Ordinal) && l.Contains("\"cache\"", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.LastIndexOf('"')]);

        Assert.Equal(["0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1.0", "5.0", "+Inf"], buckets);
    }

    [Fact]
    public async Task Gauge_and_counter_samples_are_the_text_format_lines()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        static string[] Samples(string text) => [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains("le=\"", StringComparison.Ordinal))];

        Assert.Equal(
            Samples(FixedMetricsState.Render(harness, ExpositionFormat.PrometheusText)),
            Samples(FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics)));
    }

    [Fact]
    public async Task Exposition_passes_a_strict_reading_of_the_specification()
    {
        await using var harness = await FixedMetricsState.StartAsync();
        FixedMetricsState.Record(harness, "cache", "::1", 6379, "timeout", 7.5);

        var samples = OpenMetricsStrictParser.Parse(FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics));

        Assert.Contains(samples, s => s.Name == "app_dependency_latency_seconds_count" && s.Labels["dependency"] == "cache" && s.Value == 2);
    }

    [Fact]
    public async Task Exposition_has_the_same_series_and_values_as_the_text_format()
    {
        await using var harness = await FixedMetricsState.StartAsync();

        var openMetrics = OpenMetricsStrictParser.Parse(FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics)).Select(Key);
        var text = PrometheusTextSamples.Parse(FixedMetricsState.Render(harness, ExpositionFormat.PrometheusText)).Select(Key);

        Assert.Equal(text.Order(StringComparer.Ordinal), openMetrics.Order(StringComparer.Ordinal));
        Assert.Equal(61, text.Count());
    }

    [Fact]
    public void Help_text_escapes_backslash_double_quote_and_newline()
    {
        var family = new MetricFamily("odd_total", "counter", "a \\ b \" c \n d");

        Assert.Equal("# TYPE odd counter\n# HELP odd a \\\\ b \\\" c \\n d\n", ExpositionFormat.OpenMetrics.RenderHeader(family));
    }

    [Fact]
    public void Text_format_help_escapes_backslash_and_newline_only()
    {
        var family = new MetricFamily("odd_total", "counter", "a \\ b \" c \n d");

        Assert.Equal("# HELP odd_total a \\\\ b \" c \\n d\n# TYPE odd_total counter\n", ExpositionFormat.PrometheusText.RenderHeader(family));
    }

    [Theory]
    [InlineData("0.0 0.001 0.002 0.01 0.1 0.9 0.95 0.99 0.999 1.0 1.7 10.0")]
    [InlineData("1e-10 1e-09 1e-05 0.0001 0.1 1.0 100000.0 1e+06 1e+10")]
    [InlineData("1e+23 1.1e+23 0.005 0.05 0.5 5.0 2.5 123456.0 1.234567e+06 -0.25 +Inf")]
    public void Le_numbers_render_as_the_specification_examples(string examples)
    {
        var expected = examples.Split(' ');

        var rendered = expected.Select(e => CanonicalNumber.Format(e == "+Inf" ? double.PositiveInfinity : double.Parse(e, CultureInfo.InvariantCulture)));

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public async Task Streamed_exposition_equals_the_whole_document()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var checker = new ScriptedChecker(harness.Time);
        for (var i = 0; i < 400; i++)
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{i:D3}", checker: checker));
        }

        await Eventually.TrueAsync(() => harness.Store.Sorted().All(e => e.Read().HasResult), "every endpoint is checked");
        var whole = FixedMetricsState.Render(harness, ExpositionFormat.OpenMetrics);

        var pipe = new Pipe();
        var reading = new StreamReader(pipe.Reader.AsStream()).ReadToEndAsync();
        await harness.Exposition.RenderAsync(pipe.Writer, ExpositionFormat.OpenMetrics, CancellationToken.None);
        await pipe.Writer.CompleteAsync();

        Assert.True(whole.Length > 2 * 256 * 1024, "the document spans several flushes");
        Assert.Equal(whole, await reading);
    }

    /// <summary>A sample as a comparable string: name, labels sorted with <c>le</c> as a number, value.</summary>
    private static string Key(ParsedSample sample) =>
        sample.Name + "{" + string.Join(',', sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l =>
            $"{l.Key}={(l.Key == "le" && l.Value != "+Inf" ? double.Parse(l.Value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) : l.Value)}")) + "} "
        + sample.Value.ToString("R", CultureInfo.InvariantCulture);
}
