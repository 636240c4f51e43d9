namespace AtomicFiles.Tool.Torture;

/// <summary>
/// Serializes the transaction writers — so the set's version rises by one per commit, and any file behind a reported
/// commit is the committer's fault, not a race between writers — and lets the verifier in between two transactions.
/// </summary>
/// <remarks>
/// The writers' lock alone would starve the verifier: a writer re-takes it the instant it lets go, and a poller only
/// gets in if it happens to try in that instant. So writers first pass a turnstile, which the verifier holds while it
/// waits: no new transaction starts, the one in flight ends, the verifier gets the writers' lock. Both are file locks
/// the OS releases when a holder is killed.
/// </remarks>
internal static class TransactionSetLock
{
    /// <summary>For a writer: waits while the verifier holds the turnstile, then for the writers' lock.</summary>
    internal static TortureLock ForWriter(string directory)
    {
        using (Acquire(directory, TortureFiles.TransactionTurnstile, Timeout.InfiniteTimeSpan))
        {
            // Passing through is all: holding it while committing would make the verifier wait behind every writer.
        }

        return Acquire(directory, TortureFiles.TransactionWritersLock, Timeout.InfiniteTimeSpan);
    }

    /// <summary>For the verifier: holds the turnstile, then waits for the transaction in flight to end. Dispose both.</summary>
    /// <exception cref="TimeoutException">A writer held the set past <paramref name="timeout"/>: it hangs, the harness must not.</exception>
    internal static (TortureLock Turnstile, TortureLock Writers) ForVerifier(string directory, TimeSpan timeout)
    {
        var turnstile = Acquire(directory, TortureFiles.TransactionTurnstile, timeout);
        try
        {
            return (turnstile, Acquire(directory, TortureFiles.TransactionWritersLock, timeout));
        }
        catch
        {
            turnstile.Dispose();
            throw;
        }
    }

    private static TortureLock Acquire(string directory, string lockName, TimeSpan timeout) =>
        TortureLock.Acquire(Path.Join(directory, lockName), timeout);
}
