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

    // Loops due at the same moments share one timer.
    private readonly Dictionary<CadenceKey, CheckCadence> _cadences = [];
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

    /// <summary>Timers driving the loops: one per interval and first tick.</summary>
    public int CadenceCount
    {
        get
        {
            lock (_gate)
            {
                return _cadences.Count;
            }
        }
    }

    /// <summary>Starts the heartbeat and every loop scheduled before start.</summary>
    public void Start()
    {
        List<(EndpointEntry Entry, bool OwnsChecker)> pending;
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
        var now = Time.GetTimestamp();
        foreach (var group in pending.GroupBy(p => (p.Entry.Settings.CheckInterval, p.Entry.Settings.InitialDelay)))
        {
            var (interval, initialDelay) = group.Key;
            var count = group.Count();
            var index = 0;
            foreach (var (entry, ownsChecker) in group)
            {
                StartLoop(entry, ownsChecker, now, initialDelay + FirstCheckPhases.Offset(index++, count, interval, _spreadFirstChecks));
            }
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

        StartLoop(entry, ownsChecker, Time.GetTimestamp(), TimeSpan.Zero);
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

    /// <summary>Starts a loop on the cadence of its interval whose first tick falls <paramref name="firstDelay"/> after <paramref name="now"/>.</summary>
    private void StartLoop(EndpointEntry entry, bool ownsChecker, long now, TimeSpan firstDelay)
    {
        var key = new CadenceKey(entry.Settings.CheckInterval, (long)(Time.GetElapsedTime(0, now) + firstDelay).TotalMilliseconds);
        var loop = new EndpointLoop(entry, this, ownsChecker, _stopping.Token);
        _loops[entry] = loop;

        // A loop and a cadence outlive whatever started them (a registry request, a reload): they must not carry that
        // caller's async locals (its Activity, its request) into every check they ever run, nor keep them alive.
        using (ExecutionContext.SuppressFlow())
        {
            lock (_gate)
            {
                if (!_cadences.TryGetValue(key, out var cadence))
                {
                    cadence = new CheckCadence(Time, key);
                    _cadences.Add(key, cadence);
                    cadence.Start(firstDelay);
                }

                loop.Start(cadence);
            }
        }
    }

    /// <summary>A loop's exit: the cadence's last loop stops it and forgets it.</summary>
    public void Leave(CheckCadence cadence, TickSignal ticks)
    {
        lock (_gate)
        {
            if (cadence.Leave(ticks))
            {
                _cadences.Remove(cadence.Key);
            }
        }
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
