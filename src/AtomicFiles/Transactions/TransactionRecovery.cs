using AtomicFiles.Locking;
using AtomicFiles.Logging;
using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>
/// Finishes what a crashed transaction left: a journal that reached its commit point (complete, sealed, intact) is
/// redone; any other — unsealed, torn, corrupted, tampered with — is rolled back by removing the temps it names,
/// and never applied. Either way the journal is removed last, so a crash during recovery is recovered again.
/// </summary>
internal static class TransactionRecovery
{
    /// <summary>
    /// Recovers the transaction journal of <paramref name="rootDirectory"/>, if there is one, under the root's lock.
    /// Creates nothing where there is no journal. This is the entry point for <c>AtomicFile.Recover</c>.
    /// </summary>
    /// <exception cref="TimeoutException">A live transaction held the root longer than <see cref="AtomicFileOptions.LockTimeout"/>.</exception>
    /// <returns>What was done, or <see langword="null"/> if there was no interrupted transaction.</returns>
    internal static TransactionRecoveryResult? Recover(string rootDirectory, AtomicFileOptions options, CancellationToken cancellationToken = default)
    {
        using var root = TransactionRoot.Open(rootDirectory);
        if (!File.Exists(root.JournalPath))
        {
            return null;
        }

        using var rootLock = FileLock.Acquire(root.LockPath, root.FullPath, FileLock.DefaultCreateMode, options.LockTimeout, cancellationToken);
        return RecoverLocked(root, options);
    }

    /// <summary>
    /// Recovers the journals of <paramref name="directory"/> and of each directory above it: a transaction rooted
    /// higher up may have staged temps here. Run it before sweeping orphaned temps from <paramref name="directory"/>,
    /// or the sweep would delete the staged temps of a committed transaction and leave it half applied.
    /// </summary>
    internal static IReadOnlyList<TransactionRecoveryResult> RecoverEnclosing(string directory, AtomicFileOptions options, CancellationToken cancellationToken = default)
    {
        var results = new List<TransactionRecoveryResult>();
        for (var current = Path.GetFullPath(directory); current is not null; current = Path.GetDirectoryName(current))
        {
            if (File.Exists(Path.Join(current, TransactionRoot.JournalFileName)) && Recover(current, options, cancellationToken) is { } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// Whether a transaction journal exists in the directory of <paramref name="tempPath"/> or above it. An orphan sweep
    /// must leave such a temp alone even when it can lock it: a transaction unlocks each staged temp just before
    /// renaming it, and deleting it then would leave a committed transaction half applied. A transaction's journal
    /// exists before its first temp and is removed after its last rename, so checking after taking the temp's lock
    /// is race-free.
    /// </summary>
    internal static bool IsGuardedByJournal(string tempPath)
    {
        for (var current = Path.GetDirectoryName(Path.GetFullPath(tempPath)); current is not null; current = Path.GetDirectoryName(current))
        {
            if (File.Exists(Path.Join(current, TransactionRoot.JournalFileName)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Recovers <paramref name="root"/>'s journal; the caller holds the root's lock.</summary>
    internal static TransactionRecoveryResult? RecoverLocked(TransactionRoot root, AtomicFileOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(root.JournalPath);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var journal = JournalFormat.Parse(bytes);
        var operations = journal.IsCommitted && (options.Mutation & CommitMutation.RecoveryIgnoresCommittedJournal) == 0
            ? Resolve(root, journal)
            : null;
        var completed = operations is not null;
        if (operations is not null)
        {
            Redo(root, operations, options);
        }
        else
        {
            RollBack(root, journal);
        }

        if (options.Logger is { } logger)
        {
            Log.TransactionRecovered(logger, root.JournalPath, completed);
        }

        return new TransactionRecoveryResult(root.JournalPath, completed);
    }

    /// <summary>
    /// The journal's operations as full paths, or <see langword="null"/> if any leads outside the root or a "temp" is
    /// not one of ours beside its target: a journal this library wrote never does that, so it was forged.
    /// </summary>
    private static List<(string Target, string? Temp)>? Resolve(TransactionRoot root, ParsedJournal journal)
    {
        var operations = new List<(string Target, string? Temp)>(journal.Operations.Count);
        foreach (var operation in journal.Operations)
        {
            if (root.FromJournal(operation.Target) is not { } target)
            {
                return null;
            }

            string? temp = null;
            if (!operation.IsDelete)
            {
                temp = TempOf(root, operation);
                if (temp is null || !string.Equals(Path.GetDirectoryName(temp), Path.GetDirectoryName(target), StringComparison.Ordinal))
                {
                    return null;
                }
            }

            operations.Add((target, temp));
        }

        return operations;
    }

    private static void Redo(TransactionRoot root, List<(string Target, string? Temp)> operations, AtomicFileOptions options)
    {
        var platform = FileSystemPlatform.Current;
        var directories = new HashSet<string>(TransactionRoot.PathComparer);
        foreach (var (target, temp) in operations)
        {
            if (temp is null)
            {
                platform.DeleteFile(target);
            }
            else if (File.Exists(temp))
            {
                platform.Replace(temp, target, options);
            }

            // A replace whose temp is gone was applied before the crash; redoing the rest is what remains.
            directories.Add(Path.GetDirectoryName(target)!);
        }

        var flushDirectories = options.Durability == Durability.Full && (options.Mutation & CommitMutation.SkipDirectoryFlush) == 0;
        if (flushDirectories)
        {
            foreach (var directory in directories)
            {
                platform.FlushDirectory(directory);
            }
        }

        platform.DeleteFile(root.JournalPath);
        if (flushDirectories)
        {
            platform.FlushDirectory(root.FullPath);
        }
    }

    private static void RollBack(TransactionRoot root, ParsedJournal journal)
    {
        var platform = FileSystemPlatform.Current;
        foreach (var operation in journal.Operations)
        {
            // Only what is provably one of our temps inside the root: an untrusted journal must not delete user files.
            if (TempOf(root, operation) is { } temp)
            {
                platform.DeleteFile(temp);
            }
        }

        // Not flushed: if a power cut brings the journal back, it is rolled back again, and its temps are already gone.
        platform.DeleteFile(root.JournalPath);
    }

    private static string? TempOf(TransactionRoot root, JournalOperation operation) =>
        operation.Temp is { } relative && TempFileName.IsTempFileName(Path.GetFileName(relative)) ? root.FromJournal(relative) : null;
}
