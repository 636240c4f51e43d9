using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// An ILogger that counts the library's "replace failed, retrying" warnings and runs an action at the first one: the
/// signal a test needs to let go of a file exactly while a commit is retrying, with no timing guess.
/// </summary>
internal sealed class ActionOnRetryLogger(Action onFirstRetry) : ILogger
{
    /// <summary>The event id of Log.ReplaceRetry in src/AtomicFiles/Logging/Log.cs.</summary>
    private const int ReplaceRetryEventId = 3;

    private int _retries;

    internal int Retries => Volatile.Read(ref _retries);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == ReplaceRetryEventId && Interlocked.Increment(ref _retries) == 1)
        {
            onFirstRetry();
        }
    }
}
