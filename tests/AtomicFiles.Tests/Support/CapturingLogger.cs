using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Support;

/// <summary>An ILogger that keeps every entry, so tests can assert what was logged and at which level.</summary>
internal sealed class CapturingLogger : ILogger
{
    internal sealed record Entry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private readonly List<Entry> _entries = [];

    internal IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add(new Entry(logLevel, eventId, formatter(state, exception), exception));
        }
    }
}
