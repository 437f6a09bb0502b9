using System.IO.Compression;
using System.Text;
using DepHealth.AspNetCore.Metrics;
using Microsoft.AspNetCore.Http;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>/metrics compresses with gzip when Accept-Encoding allows it, streaming, and says so in Content-Encoding and Vary.</summary>
[Trait("Category", "unit")]
public sealed class GzipTests(MetricsAppFixture fixture) : IClassFixture<MetricsAppFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("application/openmetrics-text; version=1.0.0")]
    public async Task Gzip_body_decompresses_to_the_plain_body(string? accept)
    {
        using var plain = await fixture.ScrapeAsync(accept);
        using var compressed = await fixture.ScrapeAsync(accept, acceptEncoding: "gzip");

        Assert.Equal("gzip", MetricsAppFixture.RawHeader(compressed, "Content-Encoding"));
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await DecompressAsync(compressed));
    }

    [Fact]
    public async Task Gzip_response_keeps_the_negotiated_content_type()
    {
        using var response = await fixture.ScrapeAsync("application/openmetrics-text; version=1.0.0", acceptEncoding: "gzip");

        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", MetricsAppFixture.RawContentType(response));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData(null)]
    public async Task Every_response_varies_on_accept_encoding_and_accept(string? acceptEncoding)
    {
        using var response = await fixture.ScrapeAsync(acceptEncoding: acceptEncoding);

        Assert.Equal("Accept-Encoding, Accept", MetricsAppFixture.RawHeader(response, "Vary"));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("GZIP")]
    [InlineData("deflate, gzip, br, zstd")]
    [InlineData("br;q=1.0, gzip;q=0.8, *;q=0.1")]
    [InlineData("*")]
    [InlineData("identity;q=0.5, gzip")]
    public async Task Accepted_gzip_compresses(string acceptEncoding)
    {
        using var response = await fixture.ScrapeAsync(acceptEncoding: acceptEncoding);

        Assert.Equal("gzip", MetricsAppFixture.RawHeader(response, "Content-Encoding"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("br, deflate")]
    [InlineData("gzip;q=0")]
    [InlineData("*;q=0")]
    [InlineData("gzip;q=0.4, identity")]
    public async Task Gzip_not_accepted_leaves_the_body_plain(string? acceptEncoding)
    {
        using var response = await fixture.ScrapeAsync(acceptEncoding: acceptEncoding);

        Assert.Null(MetricsAppFixture.RawHeader(response, "Content-Encoding"));
        Assert.StartsWith("# HELP app_dependency_health ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_body_is_streamed_in_flushed_pieces_as_it_is_rendered()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var checker = new ScriptedChecker(harness.Time);
        for (var i = 0; i < 400; i++)
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{i:D3}", checker: checker));
        }

        await Eventually.TrueAsync(() => harness.Store.Sorted().All(e => e.Read().HasResult), "every endpoint is checked");
        var body = new FlushCountingStream();
        var context = new DefaultHttpContext { Response = { Body = body } };
        context.Request.Headers.AcceptEncoding = "gzip";

        await MetricsEndpoint.WriteAsync(context, harness.Exposition);

        var plain = harness.RenderMetrics();
        Assert.True(plain.Length > 4 * 256 * 1024, "the document spans several flushes");
        Assert.True(body.Flushes >= 4, $"the compressed body reached the response in {body.Flushes} flushes");
        Assert.Equal(plain, await DecompressAsync(new MemoryStream(body.ToArray())));
    }

    private static async Task<string> DecompressAsync(HttpResponseMessage response) =>
        await DecompressAsync(await response.Content.ReadAsStreamAsync());

    private static async Task<string> DecompressAsync(Stream compressed)
    {
        await using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>A response body that keeps what is written and counts the flushes that would send it.</summary>
    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return base.FlushAsync(cancellationToken);
        }
    }
}
