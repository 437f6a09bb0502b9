using System.Diagnostics.Tracing;

namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>
/// Counts the thread pool's own decisions to add or remove worker threads, by reason, from the runtime's events
/// (<c>ThreadPoolWorkerThreadAdjustmentAdjustment</c>). A <see cref="Starvation"/> adjustment is the runtime saying that
/// queued work waited because every worker was busy or blocked: the definition of thread-pool starvation, independent
/// of how fast the machine is or how many other processes share its cores.
/// </summary>
public sealed class ThreadInjectionListener : EventListener
{
    /// <summary>The runtime's reason code for a thread added because queued work was not being dequeued.</summary>
    public const uint StarvationReason = 6;

    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords ThreadingKeyword = (EventKeywords)0x10000;
    private const int AdjustmentEventId = 55;

    private readonly Lock _gate = new();
    private readonly Dictionary<uint, int> _byReason = [];
    private readonly List<string> _starvations = [];
    private volatile bool _counting;

    /// <summary>Starvation adjustments counted since <see cref="Reset"/>.</summary>
    public int Starvation
    {
        get
        {
            lock (_gate)
            {
                return _byReason.GetValueOrDefault(StarvationReason);
            }
        }
    }

    /// <summary>Each starvation adjustment: when (UTC) and the worker count it set.</summary>
    public IReadOnlyList<string> StarvationEvents
    {
        get
        {
            lock (_gate)
            {
                return [.. _starvations];
            }
        }
    }

    /// <summary>Adjustments by the runtime's reason name (warm-up, hill climbing, starvation, …), for the report.</summary>
    public string Summary
    {
        get
        {
            lock (_gate)
            {
                return _byReason.Count == 0
                    ? "none"
                    : string.Join(", ", _byReason.OrderBy(p => p.Key).Select(p => $"{ReasonName(p.Key)} {p.Value}"));
            }
        }
    }

    /// <summary>Forgets what was counted and counts from now on.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _byReason.Clear();
            _starvations.Clear();
        }

        _counting = true;
    }

    /// <summary>Stops counting; what was counted stays readable.</summary>
    public void Stop() => _counting = false;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, ThreadingKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventId != AdjustmentEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var reason = Convert.ToUInt32(payload[names.IndexOf("Reason")], System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
            if (reason == StarvationReason)
            {
                _starvations.Add($"{eventData.TimeStamp:HH:mm:ss.fff} to {payload[names.IndexOf("NewWorkerThreadCount")]} workers");
            }
        }
    }

    /// <summary>The runtime's names for its adjustment reasons (ThreadAdjustmentReasonMap).</summary>
    private static string ReasonName(uint reason) => reason switch
    {
        0 => "warm-up",
        1 => "initializing",
        2 => "random move",
        3 => "climbing move",
        4 => "change point",
        5 => "stabilizing",
        6 => "starvation",
        7 => "thread timed out",
        8 => "cooperative blocking",
        _ => $"reason {reason}",
    };
}
