using System.Buffers;
using System.Collections;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Issue #7: an exception while rendering one endpoint — in a scrape, the details, readiness, the meter's callbacks or
/// the registry listing — leaves that endpoint out, its partial output rolled back, and never breaks the response for
/// the others. The renderers run no user code per endpoint (labels and options are copied at registration), so faults
/// go in through the internal test seam <c>EndpointEntry.RenderFault</c>, which fires part-way through an endpoint's
/// output (mid-line, mid-object; in the listing, once the endpoint's object is written but not yet kept).
/// </summary>
[Trait("Category", "integration")]
public sealed partial class RenderFaultIsolationTests
{
    private const int Endpoints = 40;
    private const string Host = "127.0.0.1";
    private const int Port = 8080;

    /// <summary>The endpoints' password option, which the injected exception's message carries as a careless bug's might.</summary>
    private const string Secret = "render-S3CRET-z9";

    private static readonly string[] Families =
    [
        "app_dependency_health", "app_dependency_latency_seconds_bucket", "app_dependency_latency_seconds_sum",
        "app_dependency_latency_seconds_count", "app_dependency_status", "app_dependency_status_detail", "app_dependency_flaps_total",
    ];

    [Fact]
    public async Task Scrape_WhenOneEndpointThrows_RendersEveryOtherEndpoint()
    {
        await using var app = await StartAsync();
        Break(app, 7, RenderOutput.Metrics);

        var (status, body) = await app.GetAsync("/metrics");

        Assert.Equal(200, status);
        var expected = AllBut(7);
        Assert.All(Families, family => Assert.Equal(expected, DependenciesIn(body, family)));
    }

    /// <summary>The fault fires in the given family (0 health … 4 flaps), mid-line, for the first, a middle and the last endpoint.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Scrape_WhenOneEndpointThrows_StaysValidPrometheusText(int family)
    {
        await using var app = await StartAsync();
        foreach (var index in new[] { 0, 17, Endpoints - 1 })
        {
            Break(app, index, RenderOutput.Metrics, onCall: family);
        }

        var (status, body) = await app.GetAsync("/metrics");

        Assert.Equal(200, status);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);
        Assert.True(exitCode == 0, $"promtool rejected /metrics:\n{output}\n---\n{body}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Details_WhenOneEndpointThrows_IsValidJsonWithEveryOtherEndpoint(bool history)
    {
        await using var app = await StartAsync();

        // The first endpoint too: the member after it must not open with a separator.
        Break(app, 0, RenderOutput.Details);
        Break(app, 20, RenderOutput.Details);

        var (status, body) = await app.GetAsync(history ? "/health/details?history=true" : "/health/details");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(
            AllBut(0, 20).Select(d => $"{d}:{Host}:{Port}"),
            document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Scrape_WhenOneEndpointKeepsThrowing_LogsOneWarningWithItsKeyAndNoSecret()
    {
        await using var app = await StartAsync();
        Break(app, 7, RenderOutput.Metrics);

        for (var scrape = 0; scrape < 3; scrape++)
        {
            Assert.Equal(200, (await app.GetAsync("/metrics")).Status);
        }

        var warning = Assert.Single(app.Logs.WithEventId(7001));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{Name(7)}:{Host}:{Port}", warning.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, app.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_CountsEveryFailureInRenderErrorsTotal()
    {
        await using var app = await StartAsync();
        Break(app, 7, RenderOutput.Metrics);

        string body = string.Empty;
        for (var scrape = 0; scrape < 3; scrape++)
        {
            body = (await app.GetAsync("/metrics")).Body;
        }

        Assert.Contains("app_dependency_render_errors_total{output=\"metrics\"} 3\n", body, StringComparison.Ordinal);
        Assert.Contains("app_dependency_render_errors_total{output=\"details\"} 0\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_WhenTheEndpointStopsThrowing_RendersItAgain()
    {
        await using var app = await StartAsync();
        var fault = Break(app, 7, RenderOutput.Metrics);
        Assert.DoesNotContain(Name(7), DependenciesIn((await app.GetAsync("/metrics")).Body, "app_dependency_health"));

        fault.Active = false;
        var (status, body) = await app.GetAsync("/metrics");

        Assert.Equal(200, status);
        Assert.All(Families, family => Assert.Equal(AllBut(), DependenciesIn(body, family)));
    }

    [Fact]
    public async Task Scrape_WhenTheEndpointStopsThrowing_LogsItsRecoveryOnce()
    {
        await using var app = await StartAsync();
        var fault = Break(app, 7, RenderOutput.Metrics);
        await app.GetAsync("/metrics");

        fault.Active = false;
        await app.GetAsync("/metrics");
        await app.GetAsync("/metrics");

        var recovered = Assert.Single(app.Logs.WithEventId(7002));
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.Contains($"{Name(7)}:{Host}:{Port}", recovered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_WhenOneEndpointThrows_StaysReadyAndListsItDegraded()
    {
        await using var app = await StartAsync();
        Break(app, 7, RenderOutput.Readiness);

        var (status, body) = await app.GetAsync("/health/ready");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal("degraded", document.RootElement.GetProperty("status").GetString());
        Assert.Equal([$"{Name(7)}:{Host}:{Port}"], document.RootElement.GetProperty("degraded").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Meter_WhenOneEndpointThrows_ObservesEveryOtherEndpoint()
    {
        await using var app = await StartAsync();

        // The first endpoint: thrown out of the callback, it would lose every endpoint observed after it.
        Break(app, 0, RenderOutput.MeterHealth);
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var observed = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "app_dependency_health")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "dependency")
                {
                    observed.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(AllBut(0), observed);
    }

    [Fact]
    public async Task RegistryListing_WhenOneEndpointThrows_ListsEveryOtherEndpoint()
    {
        await using var app = await StartAsync();
        Break(app, 7, RenderOutput.Registry);

        var (status, body) = await app.GetAsync("/admin/endpoints");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(AllBut(7), document.RootElement.EnumerateArray().Select(e => e.GetProperty("dependency").GetString()));
        Assert.Contains("app_dependency_render_errors_total{output=\"registry\"} 1", (await app.GetAsync("/metrics")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryListing_WhenTheApplicationBreaksItsLabelsAfterAdding_ListsTheLabelsItRegistered()
    {
        await using var app = await StartAsync();
        var labels = new VolatileLabels();
        await app.Registry.AddAsync(SchedulerHarness.Spec("aaa-volatile", checker: new ScriptedChecker(TimeProvider.System)) with { Labels = labels });
        labels.Broken = true;

        var (status, body) = await app.GetAsync("/admin/endpoints");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var listed = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["aaa-volatile", .. AllBut()], listed.Select(e => e.GetProperty("dependency").GetString()));
        Assert.Equal("zone-9", listed[0].GetProperty("labels").GetProperty("zone").GetString());
    }

    [Fact]
    public void Writer_WhenAPieceThatSpilledIsDiscarded_KeepsOnlyWhatPrecededIt()
    {
        var output = new BlockWriter();
        var writer = new Utf8TextWriter(output);
        writer.Write("before\n"u8);

        writer.BeginPiece();
        writer.Write(Filler(3 * BlockWriter.BlockSize));
        writer.DiscardPiece();
        writer.Write("after\n"u8);
        writer.Flush();

        Assert.Equal("before\nafter\n", output.Text);
    }

    [Fact]
    public void Writer_WhenAPieceSpills_KeepsItWholeWithoutAskingTheOutputForMoreThanABlock()
    {
        var output = new BlockWriter();
        var writer = new Utf8TextWriter(output);
        var piece = Filler(BlockWriter.BlockSize - 1000);

        // Three pieces of most of a block each: the second and third cannot fit in what their block has left.
        for (var i = 0; i < 3; i++)
        {
            writer.BeginPiece();
            foreach (var line in piece.Chunk(100))
            {
                writer.Write(line);
            }

            writer.EndPiece();
        }

        writer.Flush();

        Assert.Equal(string.Concat(Enumerable.Repeat(Encoding.ASCII.GetString(piece), 3)), output.Text);
        Assert.InRange(output.LargestRequest, 1, BlockWriter.BlockSize);
    }

    private static string Name(int index) => $"dep-{index:D2}";

    private static List<string> AllBut(params int[] excluded) =>
        Enumerable.Range(0, Endpoints).Where(i => !excluded.Contains(i)).Select(Name).ToList();

    /// <summary>Runs the app with <see cref="Endpoints"/> healthy endpoints (enough for several blocks and flushes) once each is checked.</summary>
    private static async Task<TestWebApp> StartAsync()
    {
        var time = new TimerTrackingTimeProvider();
        var app = await TestWebApp.StartAsync(time: time);
        var checker = new ScriptedChecker(time);
        for (var i = 0; i < Endpoints; i++)
        {
            await app.Registry.AddAsync(SchedulerHarness.Spec(Name(i), Host, Port, checker: checker) with
            {
                Labels = new Dictionary<string, string> { ["zone"] = $"zone-{i % 3}" },
                Options = new Dictionary<string, string> { [CheckerOptionKeys.Password] = Secret },
            });
        }

        var store = app.Services.GetRequiredService<HealthStateStore>();
        await Eventually.TrueAsync(() => store.Sorted().All(e => e.Read().HasResult), "every endpoint is checked");
        return app;
    }

    private static Fault Break(TestWebApp app, int index, RenderOutput output, int? onCall = null)
    {
        var store = app.Services.GetRequiredService<HealthStateStore>();
        Assert.True(store.TryGet(new EndpointKey(Name(index), Host, Port), out var entry));
        var fault = new Fault(output, onCall);
        entry.RenderFault = fault.Inject;
        return fault;
    }

    /// <summary>The dependencies that have a line of <paramref name="family"/>, in order of appearance.</summary>
    private static List<string> DependenciesIn(string body, string family) =>
        body.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal))
            .Select(l => DependencyLabel().Match(l).Groups[1].Value)
            .Distinct()
            .ToList();

    [GeneratedRegex("dependency=\"([^\"]+)\"")]
    private static partial Regex DependencyLabel();

    private static byte[] Filler(int length) =>
        Enumerable.Range(0, length).Select(i => i % 50 == 49 ? (byte)'\n' : (byte)('a' + (i % 26))).ToArray();

    /// <summary>
    /// Throws from one endpoint's <paramref name="output"/> while active: at every call, or only at call
    /// <paramref name="onCall"/> (0-based; a scrape calls once per family, in order).
    /// </summary>
    private sealed class Fault(RenderOutput output, int? onCall)
    {
        private int _calls;

        public bool Active { get; set; } = true;

        public void Inject(RenderOutput rendering)
        {
            if (rendering != output)
            {
                return;
            }

            var call = Interlocked.Increment(ref _calls) - 1;
            if (Active && (onCall is null || onCall == call))
            {
                throw new InvalidOperationException($"injected render fault (password {Secret})");
            }
        }
    }

    /// <summary>
    /// Labels the application keeps and later breaks, as a dictionary modified while it is enumerated does: valid at
    /// registration, throwing at every enumeration once <see cref="Broken"/>.
    /// </summary>
    private sealed class VolatileLabels : IReadOnlyDictionary<string, string>
    {
        private readonly Dictionary<string, string> _labels = new() { ["zone"] = "zone-9" };

        public bool Broken { get; set; }

        public string this[string key] => _labels[key];

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<string> Values => this.Select(p => p.Value);

        public int Count => _labels.Count;

        public bool ContainsKey(string key) => _labels.ContainsKey(key);

        public bool TryGetValue(string key, out string value) => _labels.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            Broken ? throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.") : _labels.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Hands out blocks of <see cref="BlockSize"/> like Kestrel's response pipe, and records the largest span asked for.</summary>
    private sealed class BlockWriter : IBufferWriter<byte>
    {
        public const int BlockSize = 4096;
        private readonly List<byte> _written = [];
        private byte[] _block = [];
        private int _position;

        public int LargestRequest { get; private set; }

        public string Text => Encoding.ASCII.GetString(_written.ToArray());

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            LargestRequest = Math.Max(LargestRequest, sizeHint);
            if (_block.Length - _position < Math.Max(sizeHint, 1))
            {
                _block = new byte[Math.Max(BlockSize, sizeHint)];
                _position = 0;
            }

            return _block.AsMemory(_position);
        }

        public void Advance(int count)
        {
            _written.AddRange(_block.AsSpan(_position, count));
            _position += count;
        }
    }
}
