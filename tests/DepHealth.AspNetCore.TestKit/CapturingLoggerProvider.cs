using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Captures every log event (rendered message and exception text) for assertions and secret scans.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IReadOnlyList<LogRecord> WithEventId(int id) => Records.Where(r => r.EventId == id).ToList();

    public string AllText() => string.Join("\n", Records.Select(r => $"{r.Category} {r.Level} {r.Message} {r.Exception}"));

    public void Dispose()
    {
    }

    public sealed record LogRecord(string Category, LogLevel Level, int EventId, string Message, string? Exception);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue(new LogRecord(category, logLevel, eventId.Id, formatter(state, exception), exception?.ToString()));
    }
}
