using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// An ILogger that tells a test what a Windows replace did: fell back from the POSIX-semantics rename to the classic one
/// (the volume refused it), or is retrying because the target is held. From the first retry of a commit until the test
/// reports it done (<see cref="CommitDone"/>), <see cref="WaitUntilNoCommitRetries"/> holds racing readers back: the
/// signal that lets the retry through, with no timing guess.
/// </summary>
internal sealed class ReplaceSignals : ILogger
{
    /// <summary>The event ids of Log.ReplaceRetry and Log.RenameFellBack in src/AtomicFiles/Logging/Log.cs.</summary>
    private const int ReplaceRetryEventId = 3;
    private const int RenameFellBackEventId = 40;

    private readonly ManualResetEventSlim _noRetryPending = new(initialState: true);
    private int _retries;
    private int _fellBack;

    internal int Retries => Volatile.Read(ref _retries);

    internal int FellBack => Volatile.Read(ref _fellBack);

    internal void WaitUntilNoCommitRetries(CancellationToken cancellationToken)
    {
        try
        {
            _noRetryPending.Wait(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void CommitDone() => _noRetryPending.Set();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == ReplaceRetryEventId)
        {
            Interlocked.Increment(ref _retries);
            _noRetryPending.Reset();
        }
        else if (eventId.Id == RenameFellBackEventId)
        {
            Interlocked.Increment(ref _fellBack);
        }
    }
}
