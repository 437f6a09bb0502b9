using System.Collections.Concurrent;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Monitoring;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Scheduling;

/// <summary>
/// Runs one <see cref="EndpointLoop"/> per registered endpoint, bounds checks in flight across the process,
/// records results into the state store and keeps a heartbeat for liveness.
/// </summary>
internal sealed class CheckScheduler : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<EndpointEntry, EndpointLoop> _loops = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(EndpointEntry Entry, bool OwnsChecker)> _pending = [];
    private readonly DependencyHealthMeter _meter;
    private readonly HealthChangeNotifier _notifier;
    private readonly bool _spreadFirstChecks;
    private readonly DependencyHistoryOptions _history;
    private Task _heartbeat = Task.CompletedTask;
    private Task? _stopped;
    private bool _started;

    public CheckScheduler(
        TimeProvider time,
        IOptions<DependencyHealthOptions> options,
        SchedulerStatistics statistics,
        DependencyHealthMeter meter,
        HealthChangeNotifier notifier,
        ILogger<CheckScheduler> logger)
    {
        Time = time;
        Statistics = statistics;
        Logger = logger;
        _meter = meter;
        _notifier = notifier;
        _spreadFirstChecks = options.Value.SpreadFirstChecks;
        _history = options.Value.History;
        Slots = new SemaphoreSlim(options.Value.MaxConcurrentChecks, options.Value.MaxConcurrentChecks);
    }

    public TimeProvider Time { get; }

    public SchedulerStatistics Statistics { get; }

    public ILogger Logger { get; }

    /// <summary>Bounds checks in flight (not counting calls that outlived their timeout) to <c>MaxConcurrentChecks</c>.</summary>
    public SemaphoreSlim Slots { get; }

    public int LoopCount => _loops.Count;

    /// <summary>Starts the heartbeat and every loop scheduled before start.</summary>
    public void Start()
    {
        List<(EndpointEntry, bool)> pending;
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            pending = [.. _pending];
            _pending.Clear();
        }

        _notifier.Start();
        Statistics.Heartbeat(Time.GetTimestamp());
        Statistics.SetRunning(true);
        _heartbeat = Task.Run(HeartbeatAsync);
        foreach (var (entry, ownsChecker) in pending)
        {
            StartLoop(entry, ownsChecker, atStartup: true);
        }

        DependencyHealthLog.SchedulerStarted(Logger, pending.Count);
    }

    /// <summary>
    /// Starts checking an entry: before the scheduler starts it waits for <see cref="Start"/> and then honours the
    /// initial delay; afterwards it is checked at once.
    /// </summary>
    public void Schedule(EndpointEntry entry, bool ownsChecker)
    {
        lock (_gate)
        {
            if (!_started)
            {
                _pending.Add((entry, ownsChecker));
                return;
            }
        }

        StartLoop(entry, ownsChecker, atStartup: false);
    }

    /// <summary>Stops an entry's loop and waits for it to exit.</summary>
    public Task UnscheduleAsync(EndpointEntry entry)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(p => ReferenceEquals(p.Entry, entry));
            if (index >= 0)
            {
                _pending.RemoveAt(index);
                return Task.CompletedTask;
            }
        }

        return _loops.TryRemove(entry, out var loop) ? loop.StopAsync() : Task.CompletedTask;
    }

    /// <summary>
    /// Cancels every loop and check in flight; waits for the loops until <paramref name="cancellationToken"/>.
    /// Idempotent: the host's stop and the container's disposal may both call it, in either order.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task stopping;
        lock (_gate)
        {
            stopping = _stopped ??= StopLoopsAsync();
        }

        try
        {
            await stopping.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout wins; loops exit on their own shortly.
        }
    }

    /// <summary>Records a check result, then logs and meters what it changed and tells the observers of a transition.</summary>
    public void Record(EndpointEntry entry, in CheckResult result, double latencySeconds)
    {
        var detail = result.Detail;
        var transition = entry.Record(detail, latencySeconds, Time.GetUtcNow(), out var written);
        if (!written)
        {
            return;
        }

        _meter.RecordLatency(entry, latencySeconds);
        var status = CheckDetails.StatusOf(detail);
        if (!result.IsHealthy)
        {
            DependencyHealthLog.CheckFailed(Logger, entry.KeyText, status, detail, latencySeconds * 1000, Reason(entry, result));
        }

        switch (transition)
        {
            case HealthTransition.BecameUnhealthy:
                DependencyHealthLog.EndpointUnhealthy(Logger, entry.KeyText, status, detail);
                break;
            case HealthTransition.Recovered:
                DependencyHealthLog.EndpointRecovered(Logger, entry.KeyText);
                break;
            case HealthTransition.FirstHealthy:
                DependencyHealthLog.EndpointHealthy(Logger, entry.KeyText);
                break;
        }

        // After the logs, so an observer never hears of a transition before the log shows it.
        _notifier.Transitioned(entry, transition);

        if (entry.StartedFlapping)
        {
            DependencyHealthLog.EndpointFlapping(Logger, entry.KeyText, _history.FlapThreshold, _history.Size);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The stopping source is never disposed: loops of endpoints added after shutdown still link to its token.
        await StopAsync(CancellationToken.None);
    }

    private async Task StopLoopsAsync()
    {
        Statistics.SetRunning(false);
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops.Values.Select(l => l.Completion).Append(_heartbeat));
        DependencyHealthLog.SchedulerStopped(Logger, Statistics.Abandoned);
    }

    private void StartLoop(EndpointEntry entry, bool ownsChecker, bool atStartup)
    {
        var loop = new EndpointLoop(entry, this, ownsChecker, _stopping.Token);
        _loops[entry] = loop;

        // A loop outlives whatever started it (a registry request, a reload): it must not carry that caller's async
        // locals (its Activity, its request) into every check it ever runs, nor keep them alive.
        using (ExecutionContext.SuppressFlow())
        {
            loop.Start(atStartup ? entry.Settings.InitialDelay + Spread(entry.Settings.CheckInterval, _spreadFirstChecks) : TimeSpan.Zero);
        }
    }

    /// <summary>A random delay of up to a tenth of the interval, at most 1 s, so first checks do not all fire at once.</summary>
    internal static TimeSpan Spread(TimeSpan interval, bool enabled)
    {
        if (!enabled)
        {
            return TimeSpan.Zero;
        }

        var window = TimeSpan.FromTicks(Math.Min(interval.Ticks / 10, TimeSpan.TicksPerSecond));
#pragma warning disable CA5394 // Spreading load needs no cryptographic randomness.
        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * window.Ticks));
#pragma warning restore CA5394
    }

    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Statistics.Heartbeat(Time.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A checker's description is written for the log; an exception's message only when there is none.
    private static string Reason(EndpointEntry entry, in CheckResult result) => entry.Secrets.Scrub(result switch
    {
        { Description: { } description } => description,
        { Exception: { } e } => $"{e.GetType().Name}: {e.Message}",
        _ => result.Detail,
    });
}
