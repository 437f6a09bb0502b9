using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using DepHealth.AspNetCore.Metrics;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>
/// A harness whose state the test sets exactly (not started: no check runs): two checked endpoints, one with custom
/// labels that need escaping, and one not checked yet.
/// </summary>
internal static class FixedMetricsState
{
    public const string Postgres = "name=\"app\",group=\"team\",dependency=\"postgres-main\",type=\"postgres\",host=\"pg.svc\",port=\"5432\",critical=\"yes\",az=\"a\\\"b\\\\c\\nd\",role=\"primary\"";
    public const string Cache = "name=\"app\",group=\"team\",dependency=\"cache\",type=\"redis\",host=\"::1\",port=\"6379\",critical=\"no\"";

    private static readonly DateTimeOffset At = new(2026, 2, 14, 10, 30, 0, TimeSpan.Zero);

    public static async Task<SchedulerHarness> StartAsync()
    {
        var harness = new SchedulerHarness();
        await harness.Registry.AddAsync(new EndpointSpec
        {
            Dependency = "postgres-main",
            Type = "postgres",
            Host = "pg.svc",
            Port = 5432,
            Critical = true,
            Labels = new Dictionary<string, string> { ["role"] = "primary", ["az"] = "a\"b\\c\nd" }.ToFrozenDictionary(),
            CheckerFactory = _ => new ScriptedChecker(harness.Time),
        });
        await harness.Registry.AddAsync(new EndpointSpec { Dependency = "cache", Type = "redis", Host = "::1", Port = 6379, Critical = false, CheckerFactory = _ => new ScriptedChecker(harness.Time) });
        await harness.Registry.AddAsync(new EndpointSpec { Dependency = "unchecked", Type = "tcp", Host = "h", Port = 1, Critical = false, CheckerFactory = _ => new ScriptedChecker(harness.Time) });
        Record(harness, "postgres-main", "pg.svc", 5432, "ok", 0.0023);
        Record(harness, "postgres-main", "pg.svc", 5432, "ok", 0.004);
        Record(harness, "cache", "::1", 6379, "connection_refused", 0.5);
        return harness;
    }

    public static void Record(SchedulerHarness harness, string dependency, string host, int port, string detail, double latency)
    {
        Assert.True(harness.Store.TryGet(new EndpointKey(dependency, host, port), out var entry));
        entry.Record(detail, latency, At, out _);
    }

    public static string Render(SchedulerHarness harness, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        harness.Exposition.Render(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
