using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DepHealth.AspNetCore.Probes;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>
/// /metrics and /health/details stream large responses in flushed chunks; the streamed bytes equal the whole
/// document, and details escape user text exactly as System.Text.Json does.
/// </summary>
[Trait("Category", "unit")]
public sealed class StreamingTests
{
    private const int Endpoints = 400;

    [Fact]
    public async Task Streamed_exposition_equals_the_whole_document()
    {
        await using var harness = await StartAsync();

        var whole = harness.RenderMetrics();
        var streamed = await ReadStreamedAsync(pipe => harness.Exposition.RenderAsync(pipe, CancellationToken.None));

        Assert.True(whole.Length > 4 * 256 * 1024, "the document spans several flushes");
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public async Task Streamed_details_equal_the_whole_document()
    {
        await using var harness = await StartAsync();
        var writer = harness.Services.GetRequiredService<HealthDetailsWriter>();
        var buffer = new ArrayBufferWriter<byte>();
        writer.Write(buffer);
        var whole = Encoding.UTF8.GetString(buffer.WrittenSpan);

        var streamed = await ReadStreamedAsync(pipe => writer.WriteAsync(pipe, includeHistory: false, CancellationToken.None));

        Assert.True(whole.Length > 64 * 1024, "the document spans several flushes");
        Assert.Equal(whole, streamed);
        Assert.Equal(Endpoints, JsonDocument.Parse(streamed).RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task Details_escape_label_values_as_System_Text_Json_does()
    {
        await using var harness = new SchedulerHarness();
        await harness.StartAsync();
        var value = "quote\" back\\slash\nnew line, tab\t, ünïcödé, <html> & 'apostrophe', \u0001, emoji \U0001F600";
        await harness.Registry.AddAsync(SchedulerHarness.Spec("odd", "odd.svc", checker: new ScriptedChecker(harness.Time)) with
        {
            Labels = new Dictionary<string, string> { ["zeta"] = value, ["alpha"] = "plain" },
        });
        await harness.WaitForChecksAsync("odd", "odd.svc", 8080, 1);
        var buffer = new ArrayBufferWriter<byte>();
        harness.Services.GetRequiredService<HealthDetailsWriter>().Write(buffer);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);

        var endpoint = JsonDocument.Parse(text).RootElement.GetProperty("odd:odd.svc:8080");
        Assert.Equal(value, endpoint.GetProperty("labels").GetProperty("zeta").GetString());
        Assert.Equal(["alpha", "zeta"], endpoint.GetProperty("labels").EnumerateObject().Select(p => p.Name));
        var encoded = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        Assert.Contains($"\"zeta\":\"{encoded}\"", text, StringComparison.Ordinal);
    }

    private static async Task<SchedulerHarness> StartAsync()
    {
        var harness = new SchedulerHarness();
        await harness.StartAsync();
        var checker = new ScriptedChecker(harness.Time);
        for (var i = 0; i < Endpoints; i++)
        {
            await harness.Registry.AddAsync(SchedulerHarness.Spec($"dep-{i:D3}", checker: checker) with
            {
                Labels = new Dictionary<string, string> { ["role"] = "primary", ["zone"] = $"zone-{i % 3}" },
            });
        }

        await Eventually.TrueAsync(() => harness.Store.Sorted().All(e => e.Read().HasResult), "every endpoint is checked");
        return harness;
    }

    /// <summary>Runs a streaming write into a pipe with the default back-pressure, reading concurrently.</summary>
    private static async Task<string> ReadStreamedAsync(Func<PipeWriter, Task> write)
    {
        var pipe = new Pipe();
        var reading = Task.Run(async () =>
        {
            var bytes = new List<byte>();
            while (true)
            {
                var result = await pipe.Reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    bytes.AddRange(segment.Span.ToArray());
                }

                pipe.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            await pipe.Reader.CompleteAsync();
            return Encoding.UTF8.GetString(bytes.ToArray());
        });
        await write(pipe.Writer);
        await pipe.Writer.CompleteAsync();
        return await reading;
    }
}
