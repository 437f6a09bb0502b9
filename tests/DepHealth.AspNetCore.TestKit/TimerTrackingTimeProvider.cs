using Microsoft.Extensions.Time.Testing;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// <see cref="FakeTimeProvider"/>, plus the one thing it lacks: whether a timer is armed to fire at a given time, a
/// precise way to wait until a particular delay or timeout exists (counting timers would also count the heartbeat).
/// </summary>
public sealed class TimerTrackingTimeProvider(DateTimeOffset? start = null)
    : FakeTimeProvider(start ?? new DateTimeOffset(2026, 2, 14, 10, 30, 0, TimeSpan.Zero))
{
    private readonly Lock _gate = new();
    private readonly List<TrackedTimer> _timers = [];

    /// <summary>Whether a timer is armed to fire <paramref name="after"/> from now.</summary>
    public bool HasTimerDueIn(TimeSpan after)
    {
        var now = GetUtcNow();
        lock (_gate)
        {
            return _timers.Any(timer => timer.NextDue(now) == now + after);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Track(dueTime, period);
        timer.Inner = base.CreateTimer(callback, state, dueTime, period);
        return timer;
    }

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner) : ITimer
    {
        private DateTimeOffset? _firstDue;
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _firstDue = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
                _period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            }
        }

        /// <summary>When the timer fires next, as FakeTimeProvider fires it: at its due time, then every period.</summary>
        public DateTimeOffset? NextDue(DateTimeOffset now)
        {
            if (_firstDue is not { } due || due > now)
            {
                return _firstDue;
            }

            return _period > TimeSpan.Zero ? due + (((now - due).Ticks / _period.Ticks) + 1) * _period : null;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
