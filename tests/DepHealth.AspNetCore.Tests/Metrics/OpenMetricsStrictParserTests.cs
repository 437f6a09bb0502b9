namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>The strict parser the OpenMetrics tests rely on rejects each rule's violation, and accepts the spec's own example.</summary>
[Trait("Category", "unit")]
public sealed class OpenMetricsStrictParserTests
{
    [Fact]
    public void Parser_accepts_the_specification_example()
    {
        const string example = "# TYPE acme_http_router_request_seconds summary\n# UNIT acme_http_router_request_seconds seconds\n"
            + "# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.\n"
            + "acme_http_router_request_seconds_sum{path=\"/api/v1\",method=\"GET\"} 9036.32\n"
            + "acme_http_router_request_seconds_count{path=\"/api/v1\",method=\"GET\"} 807283.0\n"
            + "# TYPE go_goroutines gauge\n# HELP go_goroutines Number of goroutines that currently exist.\ngo_goroutines 69\n"
            + "# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"
            + "# HELP process_cpu_seconds Total user and system CPU time spent in seconds.\nprocess_cpu_seconds_total 4.20072246e+06\n# EOF\n";

        Assert.Equal(4, OpenMetricsStrictParser.Parse(example).Count);
    }

    [Theory]
    [InlineData("# TYPE a gauge\na 1\n", "ends with # EOF")]
    [InlineData("# TYPE a gauge\r\na 1\n# EOF\n", "LF only")]
    [InlineData("# TYPE a gauge\n\na 1\n# EOF\n", "a sample is")]
    [InlineData("# comment\n# EOF\n", "TYPE, UNIT or HELP")]
    [InlineData("# TYPE a_total counter\na_total 1\n# EOF\n", "is named as the type of a_total requires")]
    [InlineData("# TYPE a counter\na_total -1\n# EOF\n", "not NaN nor negative")]
    [InlineData("# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF\n", "at most one TYPE")]
    [InlineData("# TYPE a gauge\na 1\n# HELP a late\n# EOF\n", "metadata comes before")]
    [InlineData("# TYPE a gauge\n# HELP a say \"hi\"\na 1\n# EOF\n", "double quotes and newlines are escaped")]
    [InlineData("# TYPE a gauge\na{x=\"\\t\"} 1\n# EOF\n", "a backslash escapes")]
    [InlineData("# TYPE a gauge\na{x=\"1\",} 1\n# EOF\n", "without a trailing comma")]
    [InlineData("# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n# EOF\n", "label x appears once")]
    [InlineData("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n# EOF\n", "unique label set")]
    [InlineData("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n# EOF\n", "declared once")]
    [InlineData("# TYPE a gauge\na 0x1\n# EOF\n", "is a number")]
    [InlineData("# TYPE a_seconds histogram\n# UNIT a_seconds bytes\n# EOF\n", "unit is a suffix")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\n# EOF\n", "canonical number")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1.0\"} 0\n# EOF\n", "last bucket is le=\"+Inf\"")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"2.0\"} 0\nh_bucket{le=\"1.0\"} 0\nh_bucket{le=\"+Inf\"} 0\n# EOF\n", "sorted by increasing le")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1.0\"} 2\nh_bucket{le=\"+Inf\"} 1\n# EOF\n", "cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.0\n# EOF\n", "bucket values are integers")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 2\nh_sum 1\n# EOF\n", "equal to the +Inf bucket")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n# EOF\n", "if and only if _sum")]
    [InlineData("# TYPE c counter\nc_total{x=\"1\"} 1\nc_total{x=\"2\"} 1\nc_created{x=\"1\"} 1\n# EOF\n", "metrics are not interleaved")]
    public void Parser_rejects_a_broken_rule(string exposition, string rule)
    {
        var error = Assert.Throws<FormatException>(() => OpenMetricsStrictParser.Parse(exposition));

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }
}
