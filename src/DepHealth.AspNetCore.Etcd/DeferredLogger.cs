using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>
/// A logger for code that runs before the application's logging exists (configuration providers): it keeps the last
/// events until <see cref="Attach"/> replays them to a real logger, and forwards everything after that.
/// </summary>
internal sealed class DeferredLogger : ILogger
{
    private const int Capacity = 200;
    private readonly Lock _gate = new();
    private readonly Queue<(LogLevel Level, EventId EventId, string Message, Exception? Exception)> _buffer = new();
    private ILogger? _target;

    public bool IsAttached => Volatile.Read(ref _target) is not null;

    public void Attach(ILogger target)
    {
        lock (_gate)
        {
            if (_target is not null)
            {
                return;
            }

            while (_buffer.TryDequeue(out var entry))
            {
                target.Log(entry.Level, entry.EventId, entry.Message, entry.Exception, static (message, _) => message);
            }

            Volatile.Write(ref _target, target);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Volatile.Read(ref _target)?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Volatile.Read(ref _target) is { } target ? target.IsEnabled(logLevel) : logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (Volatile.Read(ref _target) is { } target)
        {
            target.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        lock (_gate)
        {
            if (_target is not null)
            {
                _target.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            if (logLevel < LogLevel.Information)
            {
                return;
            }

            _buffer.Enqueue((logLevel, eventId, formatter(state, exception), exception));
            if (_buffer.Count > Capacity)
            {
                _buffer.Dequeue();
            }
        }
    }
}
