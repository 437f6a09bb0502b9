using System.Diagnostics;
using System.Globalization;
using System.Net;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.LoadTesting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Issue 14 item 8, the peer benchmark (<c>build/bench.sh peer</c>, real servers): PostgreSQL, Redis, RabbitMQ and an
/// HTTP service checked through the application's own clients by this package and by Xabaril's checks under
/// <c>HealthCheckService</c> (a publisher, and <c>MapHealthChecks</c> running the checks on every request). Each
/// application is a process of its own (<see cref="PeerApp"/>); a counting relay stands in front of every dependency.
/// Measured: CPU per check (less an idle baseline of the same application without checks; the process's own
/// <see cref="Environment.CpuUsage"/>, to the microsecond), connections opened per
/// minute at each dependency, and the <c>/health/ready</c> p99 at a steady request rate.
/// </summary>
internal static class PeerScenario
{
    private const double ProbesPerSecond = 200;
    /// <summary>All four dependencies are checked in pool mode on both sides (HTTP through IHttpClientFactory).</summary>
    private static readonly int PoolDependencies = PeerRelays.Names.Length;

    /// <summary>Registrations of each dependency in the CPU windows: 40 checks a second rather than 4, well above the noise.</summary>
    private const int CpuCopies = 10;

    /// <summary>The configured interval, used under load.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>The interval of the CPU windows, scaled down alike for both sides (1 s is this package's minimum).</summary>
    private static readonly TimeSpan ScaledInterval = TimeSpan.FromSeconds(1);

    public static async Task<ScenarioResult> RunAsync()
    {
        var settle = Bench.Seconds(4, 3);
        var cpuWindow = Bench.Seconds(15, 8);
        var idleWindow = Bench.Seconds(12, 8);
        var configuredWindow = Bench.Seconds(15, 8);
        var loadWarmUp = Bench.Seconds(5, 2);
        var loadWindow = Bench.Seconds(20, 8);

        await using var service = await BenchApp.StartAsync(_ => { }, app => app.MapGet("/health", () => Results.Text("ok")));
        await using var relays = await PeerRelays.StartAsync(service.Url("/health"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Ours and the peer alternate, twice each, so that a change in the machine's load falls on both alike.
        var idle = await QuietAsync(PeerApp.Idle, relays, client, settle, idleWindow);
        var oursQuiet = await QuietAsync(PeerApp.Ours, relays, client, settle, cpuWindow);
        var peerQuiet = await QuietAsync(PeerApp.Peer, relays, client, settle, cpuWindow);
        oursQuiet += await QuietAsync(PeerApp.Ours, relays, client, settle, cpuWindow);
        peerQuiet += await QuietAsync(PeerApp.Peer, relays, client, settle, cpuWindow);
        var (oursConfigured, oursLoad) = await ConfiguredAsync(PeerApp.Ours, relays, client, configuredWindow, loadWarmUp, loadWindow);
        var (peerConfigured, peerLoad) = await ConfiguredAsync(PeerApp.Peer, relays, client, configuredWindow, loadWarmUp, loadWindow);

        var idleMsPerSecond = idle.CpuMs / idle.Seconds;
        var oursCpu = oursQuiet.CpuMicrosecondsPerCheck(idleMsPerSecond);
        var peerCpu = peerQuiet.CpuMicrosecondsPerCheck(idleMsPerSecond);
        var cpuRatio = peerCpu / oursCpu;

        // Connections are judged as configured (once each, 15 s), with and without load, at each pool-mode dependency:
        // ours at or below the peer's. The CPU windows' ten registrations per dependency are a measuring device only.
        var connectionsMet = Enumerable.Range(0, PoolDependencies).All(i =>
            oursConfigured.PerMinute(i) <= peerConfigured.PerMinute(i) && oursLoad.PerMinute(i) <= peerLoad.PerMinute(i));
        var oursPool = Enumerable.Range(0, PoolDependencies).Sum(i => oursConfigured.Accepts[i] + oursLoad.Accepts[i]) / ((oursConfigured.Seconds + oursLoad.Seconds) / 60);
        var peerPool = Enumerable.Range(0, PoolDependencies).Sum(i => peerConfigured.Accepts[i] + peerLoad.Accepts[i]) / ((peerConfigured.Seconds + peerLoad.Seconds) / 60);
        var connectionsRatio = oursPool > 0 ? peerPool / oursPool : peerPool > 0 ? double.PositiveInfinity : 1;

        var oursP99 = oursLoad.P99Ms;
        var peerP99 = peerLoad.P99Ms;
        var p99Ratio = peerP99 / oursP99;
        var least = Math.Min(cpuRatio, Math.Min(connectionsRatio, p99Ratio));
        var met = cpuRatio >= 1 && connectionsMet && p99Ratio >= 1 && oursLoad.Errors == 0;

        var result = new ScenarioResult(
                "peer",
                least,
                "x least of peer ÷ ours",
                "ours at or below the peer (peer ÷ ours ≥ 1): CPU per check, connections per minute at each pool-mode dependency, /health/ready p99",
                met)
            .With("cpu_ratio", cpuRatio)
            .With("pool_connections_ratio", double.IsFinite(connectionsRatio) ? connectionsRatio : "ours 0")
            .With("p99_ratio", p99Ratio)
            .With("ours_cpu_us_per_check", oursCpu)
            .With("peer_cpu_us_per_check", peerCpu)
            .With("ours_vs_peer_p99_ms", $"{Bench.Format(oursP99)} vs {Bench.Format(peerP99)}")
            .With("ours_p99_ms", oursP99)
            .With("peer_p99_ms", peerP99)
            .With("ours_p50_ms", oursLoad.P50Ms)
            .With("peer_p50_ms", peerLoad.P50Ms)
            .With("ours_load_errors", oursLoad.Errors)
            .With("peer_load_errors", peerLoad.Errors)
            .With("ours_load_achieved_rate", oursLoad.AchievedRate)
            .With("peer_load_achieved_rate", peerLoad.AchievedRate)
            .With("ours_checks_cpu_window", oursQuiet.Checks)
            .With("peer_checks_cpu_window", peerQuiet.Checks)
            .With("ours_cpu_percent_of_core", oursQuiet.CpuMs / oursQuiet.Seconds / 10)
            .With("peer_cpu_percent_of_core", peerQuiet.CpuMs / peerQuiet.Seconds / 10)
            .With("idle_cpu_percent_of_core", idleMsPerSecond / 10)
            .With("ours_cpu_percent_of_core_under_load", oursLoad.CpuMs / oursLoad.Seconds / 10)
            .With("peer_cpu_percent_of_core_under_load", peerLoad.CpuMs / peerLoad.Seconds / 10);
        for (var i = 0; i < PeerRelays.Names.Length; i++)
        {
            var name = PeerRelays.Names[i];
            result.With($"{name}_connections_per_min", $"ours {Bench.Format(oursConfigured.PerMinute(i))}, peer {Bench.Format(peerConfigured.PerMinute(i))}")
                .With($"{name}_connections_per_min_under_load", $"ours {Bench.Format(oursLoad.PerMinute(i))}, peer {Bench.Format(peerLoad.PerMinute(i))}")
                .With($"{name}_connections_per_100_checks_cpu_window", $"ours {Bench.Format(oursQuiet.Per100Checks(i))}, peer {Bench.Format(peerQuiet.Per100Checks(i))}");
        }

        result.With("peer_connections_during_load_warmup", peerLoad.WarmUpAccepts)
            .With("ours_connections_during_load_warmup", oursLoad.WarmUpAccepts)
            .With("cpu_window_s", cpuWindow.TotalSeconds)
            .With("cpu_windows_per_side", 2)
            .With("cpu_window_interval_s", ScaledInterval.TotalSeconds)
            .With("cpu_window_registrations_per_dependency", CpuCopies)
            .With("configured_window_s", configuredWindow.TotalSeconds)
            .With("load_window_s", loadWindow.TotalSeconds)
            .With("load_interval_s", Interval.TotalSeconds)
            .With("load_requests_per_second", ProbesPerSecond)
            .With("load_average_after", MachineLoad.Average());
        result.Note = "pool mode for all four on both sides; http: a named client of IHttpClientFactory on both sides "
            + "(ours: AddHttp with HttpClientName). CPU windows: each dependency registered 10 times, at a 1 s interval, "
            + "on both sides; connections and load: once each, at 15 s.";
        return result;
    }

    /// <summary>An application with no requests but its own checks: CPU time, checks and connections over a window.</summary>
    private static async Task<Window> QuietAsync(string mode, PeerRelays relays, HttpClient client, TimeSpan settle, TimeSpan window)
    {
        await using var app = await StartAsync(mode, ScaledInterval, CpuCopies, relays);
        await Task.Delay(settle);
        await EnsureReadyAsync(mode, app, client);
        var accepts = relays.Accepts();
        var checks = await app.ChecksAsync(client);
        var cpu = await app.PreciseCpuTimeAsync(client);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        var cpuEnd = await app.PreciseCpuTimeAsync(client);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var checksEnd = await app.ChecksAsync(client);
        var acceptsEnd = relays.Accepts();
        await EnsureReadyAsync(mode, app, client);
        return new Window(seconds, (cpuEnd - cpu).TotalMilliseconds, checksEnd - checks, Minus(acceptsEnd, accepts));
    }

    /// <summary>
    /// The application as configured (each dependency once, 15 s): a window without requests, then <c>/health/ready</c>
    /// at a steady rate from the open-loop driver (a process of its own).
    /// </summary>
    private static async Task<(Window Quiet, Window Load)> ConfiguredAsync(
        string mode, PeerRelays relays, HttpClient client, TimeSpan quietWindow, TimeSpan warmUp, TimeSpan window)
    {
        await using var app = await StartAsync(mode, Interval, 1, relays);
        await EnsureReadyAsync(mode, app, client);
        var accepts = relays.Accepts();
        var quietStarted = Stopwatch.GetTimestamp();
        await Task.Delay(quietWindow);
        var quiet = new Window(Stopwatch.GetElapsedTime(quietStarted).TotalSeconds, 0, 0, Minus(relays.Accepts(), accepts));
        accepts = relays.Accepts();
        await using var driver = LoadDriverProcess.Start(
        [
            "--base-url", app.BaseUri.ToString(),
            "--probe-path", "/health/ready",
            "--probe-rate", ProbesPerSecond.ToString(CultureInfo.InvariantCulture),
            "--scrape-rate", "0",
            "--warmup", warmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--duration", window.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        await driver.ReadSummaryAsync("warm-up", warmUp + TimeSpan.FromSeconds(60));
        var warmUpAccepts = relays.Accepts();
        var cpu = await app.PreciseCpuTimeAsync(client);
        var started = Stopwatch.GetTimestamp();
        await driver.GoAsync();
        var (summary, _) = await driver.ReadSummaryAsync("measured", window + TimeSpan.FromSeconds(60));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuMs = (await app.PreciseCpuTimeAsync(client) - cpu).TotalMilliseconds;
        var acceptsEnd = relays.Accepts();
        var probe = summary.GetProperty("probe");
        return (quiet, new Window(seconds, cpuMs, 0, Minus(acceptsEnd, warmUpAccepts))
        {
            WarmUpAccepts = Minus(warmUpAccepts, accepts).Sum(),
            P50Ms = probe.GetProperty("latency_from_scheduled_ms").GetProperty("p50").GetDouble(),
            P99Ms = probe.GetProperty("latency_from_scheduled_ms").GetProperty("p99").GetDouble(),
            Errors = probe.GetProperty("errors").GetInt64(),
            AchievedRate = probe.GetProperty("achieved_rate").GetDouble(),
        });
    }

    /// <summary>
    /// Starts an application. Tiered compilation is off in all three alike: at one check a second the check paths would
    /// take a minute to reach tier 1, and the windows would measure the JIT's tier-up instead of the checks.
    /// </summary>
    private static Task<AppProcess> StartAsync(string mode, TimeSpan interval, int copies, PeerRelays relays) =>
        AppProcess.StartAsync(
            ["--peer-app", mode, interval.TotalSeconds.ToString(CultureInfo.InvariantCulture), copies.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(relays.Environment, StringComparer.Ordinal) { ["DOTNET_TieredCompilation"] = "0" });

    /// <summary>Every dependency healthy (a measurement of failing checks would compare nothing); the idle app has no probe.</summary>
    private static async Task EnsureReadyAsync(string mode, AppProcess app, HttpClient client)
    {
        if (mode == PeerApp.Idle)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (15 * Stopwatch.Frequency);
        while (true)
        {
            using var response = await client.GetAsync(app.Url("/health/ready"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{mode}: /health/ready answered {(int)response.StatusCode} for 15 s: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(100);
        }
    }

    private static long[] Minus(long[] after, long[] before) => [.. after.Select((a, i) => a - before[i])];

    private sealed record Window(double Seconds, double CpuMs, long Checks, long[] Accepts)
    {
        public long WarmUpAccepts { get; init; }

        public double P50Ms { get; init; } = double.NaN;

        public double P99Ms { get; init; } = double.NaN;

        public long Errors { get; init; }

        public double AchievedRate { get; init; }

        public double PerMinute(int dependency) => Accepts[dependency] * 60 / Seconds;

        /// <summary>Connections per 100 checks of one dependency (each has the same share of the checks).</summary>
        public double Per100Checks(int dependency) => Checks > 0 ? Accepts[dependency] * 100.0 * PeerRelays.Names.Length / Checks : double.NaN;

        /// <summary>Two windows of the same application as one: times, checks and connections added.</summary>
        public static Window operator +(Window a, Window b) =>
            new(a.Seconds + b.Seconds, a.CpuMs + b.CpuMs, a.Checks + b.Checks, [.. a.Accepts.Select((x, i) => x + b.Accepts[i])]);

        public double CpuMicrosecondsPerCheck(double idleMsPerSecond) =>
            Checks > 0 ? (CpuMs - (idleMsPerSecond * Seconds)) * 1000 / Checks : double.NaN;
    }
}
