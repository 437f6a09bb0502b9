using System.Net.Sockets;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Benchmarks.Scenarios;

/// <summary>
/// Scenarios 1 and 2: <c>/health/ready</c> with this package (probes read the state store) against the built-in
/// <see cref="HealthCheckService"/> behind <c>MapHealthChecks</c> running the same checks on every request.
/// </summary>
internal static class ProbeScenarios
{
    private const int Dependencies = 50;

    public static async Task<ScenarioResult> ThroughputAsync()
    {
        const int workers = 8;

        // Both applications run side by side and are loaded in alternating rounds, so that load from elsewhere on a
        // shared machine falls on both alike.
        var rounds = Bench.Count(4, 2);
        var round = Bench.Seconds(4, 2.5);
        var warmup = TimeSpan.FromSeconds(3);
        var listeners = Enumerable.Range(0, Dependencies).Select(_ => new CountingListener()).ToArray();
        try
        {
            await using var ours = await BenchApp.StartOursAsync(
                o => o.CheckInterval = TimeSpan.FromSeconds(15),
                d =>
                {
                    for (var i = 0; i < listeners.Length; i++)
                    {
                        d.AddTcp($"dep-{i:D2}", "127.0.0.1", listeners[i].Port, critical: true);
                    }
                });
            await using var baseline = await StartBaselineAsync(listeners.Select(l => (IHealthCheck)new TcpHealthCheck(l.Port)).ToArray());
            await Endpoints.WaitUntilAsync(() => Endpoints.WithResult(ours.Store) == Dependencies, TimeSpan.FromSeconds(10), "every endpoint is checked");
            await LoadDriver.RunAsync(ours.Url("/health/ready"), workers, warmup, TimeSpan.Zero);
            await LoadDriver.RunAsync(baseline.Url("/health/ready"), workers, warmup, TimeSpan.Zero);

            var oursRounds = new List<LoadResult>();
            var baselineRounds = new List<LoadResult>();
            long oursAccepts = 0, oursScheduledChecks = 0, baselineAccepts = 0;
            for (var r = 0; r < rounds; r++)
            {
                var accepts0 = listeners.Sum(l => l.Accepts);
                var checks0 = Endpoints.TotalChecks(ours.Store);
                oursRounds.Add(await LoadDriver.RunAsync(ours.Url("/health/ready"), workers, round, TimeSpan.Zero));
                oursAccepts += listeners.Sum(l => l.Accepts) - accepts0;
                oursScheduledChecks += Endpoints.TotalChecks(ours.Store) - checks0;

                accepts0 = listeners.Sum(l => l.Accepts);
                baselineRounds.Add(await LoadDriver.RunAsync(baseline.Url("/health/ready"), workers, round, TimeSpan.Zero));
                baselineAccepts += listeners.Sum(l => l.Accepts) - accepts0;
            }

            var oursResult = LoadResult.Combine(oursRounds);
            var baselineResult = LoadResult.Combine(baselineRounds);

            // Connections caused by probes: everything the listeners accepted during our rounds, less the scheduler's
            // own checks in that time (they happen whether or not anyone probes).
            var connectionsPerProbe = (oursAccepts - oursScheduledChecks) / (double)Math.Max(1, oursResult.Requests);
            var ratio = oursResult.RequestsPerSecond / baselineResult.RequestsPerSecond;
            return new ScenarioResult("probe-throughput", ratio, "x", ">= 50x requests/s, 0 connections per probe", ratio >= 50 && connectionsPerProbe <= 0)
                .With("connections_per_probe", connectionsPerProbe)
                .With("ours_rps", oursResult.RequestsPerSecond)
                .With("baseline_rps", baselineResult.RequestsPerSecond)
                .With("ours_p99_ms", oursResult.P99Ms)
                .With("baseline_p99_ms", baselineResult.P99Ms)
                .With("ours_p50_ms", oursResult.P50Ms)
                .With("baseline_p50_ms", baselineResult.P50Ms)
                .With("baseline_connections_per_probe", baselineAccepts / (double)Math.Max(1, baselineResult.Requests))
                .With("ours_requests", oursResult.Requests)
                .With("ours_accepts_during_load", oursAccepts)
                .With("ours_scheduled_checks_during_load", oursScheduledChecks)
                .With("ours_non2xx", oursResult.Non2xx + oursResult.Errors)
                .With("baseline_non2xx", baselineResult.Non2xx + baselineResult.Errors)
                .With("ratio_per_round", string.Join(' ', oursRounds.Zip(baselineRounds, (o, b) => Math.Round(o.RequestsPerSecond / b.RequestsPerSecond, 1))))
                .With("workers", workers)
                .With("seconds_each", rounds * round.TotalSeconds);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    public static async Task<ScenarioResult> HungDependencyAsync()
    {
        // Few concurrent clients, as kubelet probes: the question is how long one probe waits, not saturation.
        const int workers = 4;
        var duration = Bench.Seconds(20, 8);
        var timeout = TimeSpan.FromSeconds(5);
        var listeners = Enumerable.Range(0, Dependencies - 1).Select(_ => new CountingListener()).ToArray();
        await using var hung = new HangingListener();
        var hungUrl = $"http://127.0.0.1:{hung.Port}/health";
        try
        {
            LoadResult ours;
            await using (var app = await BenchApp.StartOursAsync(
                o =>
                {
                    o.CheckInterval = TimeSpan.FromSeconds(15);
                    o.Timeout = timeout;
                },
                d =>
                {
                    for (var i = 0; i < listeners.Length; i++)
                    {
                        d.AddTcp($"dep-{i:D2}", "127.0.0.1", listeners[i].Port, critical: true);
                    }

                    d.AddHttp("hung", hungUrl, critical: false);
                }))
            {
                // Steady state: the hung dependency's first check has timed out.
                await Endpoints.WaitUntilAsync(() => Endpoints.WithResult(app.Store) == Dependencies, timeout + TimeSpan.FromSeconds(10), "every endpoint is checked");
                ours = await LoadDriver.RunAsync(app.Url("/health/ready"), workers, duration, Bench.Seconds(2, 1));
            }

            LoadResult baseline;
            using var httpClient = new HttpClient { Timeout = timeout };
            var checks = listeners.Select(l => (IHealthCheck)new TcpHealthCheck(l.Port))
                .Append(new HttpGetHealthCheck(httpClient, new Uri(hungUrl)))
                .ToArray();
            await using (var app = await StartBaselineAsync(checks, timeout))
            {
                baseline = await LoadDriver.RunAsync(app.Url("/health/ready"), workers, duration, TimeSpan.Zero);
            }

            var ratio = baseline.P99Ms / ours.P99Ms;
            return new ScenarioResult("probe-hung-dependency", ratio, "x", ">= 1000x lower p99 (baseline / ours)", ratio >= 1000)
                .With("ours_p99_ms", ours.P99Ms)
                .With("baseline_p99_ms", baseline.P99Ms)
                .With("ours_p50_ms", ours.P50Ms)
                .With("baseline_p50_ms", baseline.P50Ms)
                .With("ours_rps", ours.RequestsPerSecond)
                .With("baseline_rps", baseline.RequestsPerSecond)
                .With("ours_requests", ours.Requests)
                .With("baseline_requests", baseline.Requests)
                .With("workers", workers)
                .With("seconds_each", duration.TotalSeconds);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    /// <summary>What an application without this package does: the checks registered with AddHealthChecks, run per request.</summary>
    private static Task<BenchApp> StartBaselineAsync(IHealthCheck[] checks, TimeSpan? timeout = null) =>
        BenchApp.StartAsync(
            services =>
            {
                var health = services.AddHealthChecks();
                for (var i = 0; i < checks.Length; i++)
                {
                    var check = checks[i];
                    health.Add(new HealthCheckRegistration(
                        $"dep-{i:D2}",
                        check,
                        check is HttpGetHealthCheck ? HealthStatus.Degraded : HealthStatus.Unhealthy,
                        ["ready"],
                        timeout ?? TimeSpan.FromSeconds(5)));
                }
            },
            app => app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") }));

    /// <summary>The usual hand-written (or AspNetCore.HealthChecks.Network) TCP check: open a connection per run.</summary>
    private sealed class TcpHealthCheck(int port) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException exception)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, exception: exception);
            }
        }
    }

    /// <summary>The usual HTTP check (as AspNetCore.HealthChecks.Uris): a GET per run, a 2xx is healthy.</summary>
    private sealed class HttpGetHealthCheck(HttpClient client, Uri uri) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var response = await client.GetAsync(uri, cancellationToken);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : new HealthCheckResult(context.Registration.FailureStatus);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, exception: exception);
            }
        }
    }
}
