using AtomicFiles.FaultInjection;
using AtomicFiles.Locking;
using AtomicFiles.Logging;
using AtomicFiles.Platform;
using AtomicFiles.Recovery;
using Microsoft.Extensions.Logging;

namespace AtomicFiles.Transactions;

/// <summary>
/// Finishes what a crashed transaction left: a journal that reached its commit point (complete, sealed, intact) is
/// redone; any other — unsealed, torn, corrupted, tampered with — is rolled back by removing the temps it names,
/// and never applied. Either way the journal is removed last, so a crash during recovery is recovered again.
/// </summary>
/// <remarks>
/// Only a journal this user could have written is acted on (see <see cref="JournalReader"/>); any other is left as it
/// is and reported. Trust is checked before the root's lock is taken — so no lock file is ever created beside an
/// untrusted journal — and again under the lock, where the journal that is acted on is read.
/// </remarks>
internal static class TransactionRecovery
{
    /// <summary>
    /// Recovers the transaction journal of <paramref name="rootDirectory"/>, if there is one, under the root's lock.
    /// Creates nothing where there is no journal, or an untrusted one.
    /// </summary>
    /// <param name="rootDirectory">The transaction root.</param>
    /// <param name="options">Durability, logger, lock timeout, injected defects.</param>
    /// <param name="dryRun">Change nothing, report what would be done. The lock is still waited for, so a live transaction is not taken for a crashed one, but never created.</param>
    /// <param name="cancellationToken">Cancels the wait for the root's lock.</param>
    /// <exception cref="TimeoutException">A live transaction held the root longer than <see cref="AtomicFileOptions.LockTimeout"/>.</exception>
    /// <returns>What was done, or <see langword="null"/> if there was no interrupted transaction.</returns>
    internal static TransactionRecoveryResult? Recover(string rootDirectory, AtomicFileOptions options, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        using var root = TransactionRoot.Open(rootDirectory);
        var found = Read(root.JournalPath, options);
        if (found.Trust == JournalTrust.Absent)
        {
            return null;
        }

        if (found.Trust == JournalTrust.Untrusted)
        {
            return Untrusted(found, options);
        }

        if (dryRun && !File.Exists(root.Directory.Join(TransactionRoot.LockFileName)))
        {
            // No lock file, so no transaction holds it; a dry run does not create one.
            return RecoverLockedCore(root, options, dryRun);
        }

        using var rootLock = LockFileLock.Acquire(root.Directory, TransactionRoot.LockFileName, root.FullPath, LockFileLock.DefaultCreateMode, options.LockTimeout, options.TimeProvider, cancellationToken, options.Defects);
        return RecoverLockedCore(root, options, dryRun);
    }

    /// <summary>
    /// Recovers the journals of the physical <paramref name="directory"/> and of each directory above it on the same
    /// filesystem, up to the filesystem's root: a transaction rooted higher up may have staged temps here. Run it
    /// before sweeping orphaned temps from <paramref name="directory"/>, or the sweep would delete the staged temps of
    /// a committed transaction and leave it half applied. Untrusted journals are reported, not acted on, and do not
    /// stop the walk.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    internal static IReadOnlyList<TransactionRecoveryResult> RecoverEnclosing(string directory, AtomicFileOptions options, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var results = new List<TransactionRecoveryResult>();
        foreach (var current in PhysicalPath.AncestorsOnSameFilesystem(Start(directory, options)))
        {
            var found = Read(Path.Join(current, TransactionRoot.JournalFileName), options);
            var result = found.Trust switch
            {
                JournalTrust.Absent => null,
                JournalTrust.Untrusted => Untrusted(found, options),
                _ => Recover(current, options, dryRun, cancellationToken),
            };
            if (result is not null)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// Whether a transaction journal in the physical directory of <paramref name="tempPath"/> or above it (on the same
    /// filesystem) names that temp. An orphan sweep must leave such a temp alone even when it can lock it: the staged
    /// temps of a transaction that crashed after its commit point are unlocked (their writer is dead) until recovery
    /// renames them, and on Windows a live transaction unlocks each temp just before renaming it; deleting one then
    /// would leave a committed transaction half applied. A transaction records each temp in its journal before
    /// creating it, and removes the journal after its last rename, so a temp that exists and is named nowhere belongs
    /// to no transaction.
    /// </summary>
    /// <remarks>
    /// Only a journal that names the temp guards it, trusted or not: a journal planted by someone else can keep only the
    /// temps it names from being swept. A journal whose content cannot be read (another user's private journal, a
    /// FIFO, one past the size cap) guards every temp below it: it may be another user's crashed transaction, whose
    /// temps a sweep in a group-writable directory could otherwise delete. The cost of guarding too much is a temp
    /// left for later; of guarding too little, a transaction left half applied.
    /// </remarks>
    internal static bool IsGuardedByJournal(string tempPath, AtomicFileOptions? options = null)
    {
        string directory;
        try
        {
            directory = Start(Path.GetDirectoryName(Path.GetFullPath(tempPath))!, options ?? AtomicFileOptions.Default);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // Nowhere to look for a journal means no proof the temp is unguarded.
        }

        var physicalTemp = Path.Join(directory, Path.GetFileName(tempPath));
        foreach (var current in PhysicalPath.AncestorsOnSameFilesystem(directory))
        {
            var found = JournalReader.Read(Path.Join(current, TransactionRoot.JournalFileName));
            if (found.Trust == JournalTrust.Absent)
            {
                continue;
            }

            if (found.Bytes is not { } bytes)
            {
                return true;
            }

            foreach (var temp in JournalFormat.Parse(bytes).Temps)
            {
                if (TransactionRoot.PathComparer.Equals(Path.Join(current, temp), physicalTemp))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Checks, before the root's lock is taken (taking it creates the lock file), that the root holds no journal this
    /// user could not have written.
    /// </summary>
    /// <exception cref="IOException">The root holds such a journal; the message names it and says why.</exception>
    internal static void ThrowIfJournalUntrusted(TransactionRoot root, AtomicFileOptions options)
    {
        if (Read(root.JournalPath, options) is { Trust: JournalTrust.Untrusted } found)
        {
            throw UntrustedJournal(root, found);
        }
    }

    /// <summary>Recovers <paramref name="root"/>'s journal; the caller holds the root's lock.</summary>
    /// <exception cref="IOException">
    /// The root holds a journal this user could not have written; the message names it and says why. Or a committed
    /// transaction was completed without a file whose staged content was damaged; the message names the file.
    /// </exception>
    internal static TransactionRecoveryResult? RecoverLocked(TransactionRoot root, AtomicFileOptions options)
    {
        var result = RecoverLockedCore(root, options);
        if (result is { UnpublishedFiles.Count: > 0 })
        {
            // Recovery is finished and the journal gone, so the next transaction starts cleanly; but the caller must hear
            // that an earlier committed transaction lost a file, not find out from its content.
            throw new IOException(
                $"Recovering an interrupted transaction in '{root.FullPath}': the staged content of "
                + string.Join(", ", result.UnpublishedFiles.Select(f => $"'{f}'"))
                + " was damaged by a power cut after part of the transaction had been applied, so it was not published and keeps its old content, "
                + "while the transaction's other files are new. The rest of the transaction is complete; begin a new transaction to continue.");
        }

        return result is { UntrustedBecause: { } because }
            ? throw UntrustedJournal(root, new JournalFile(result.JournalPath, JournalTrust.Untrusted, null, because))
            : result;
    }

    private static TransactionRecoveryResult? RecoverLockedCore(TransactionRoot root, AtomicFileOptions options, bool dryRun = false)
    {
        var found = Read(root.JournalPath, options);
        if (found.Trust == JournalTrust.Absent)
        {
            return null;
        }

        if (found.Trust == JournalTrust.Untrusted || found.Bytes is not { } bytes)
        {
            return Untrusted(found, options);
        }

        var journal = JournalFormat.Parse(bytes);
        string? defect = journal.Defect;
        List<JournaledFile>? operations = null;
        if (journal.IsCommitted && !options.Injects(InjectedDefect.RecoveryIgnoresCommittedJournal))
        {
            operations = Resolve(root, journal);
            defect ??= operations is null ? "it names a path outside the root, or a temp that is not one of ours beside its target" : null;
        }

        IReadOnlyList<string> unpublished = [];
        List<JournaledFile> damaged = [];
        var swept = new List<string>();
        if (operations is not null && CheckContent(root, operations, options) is { Damaged.Count: > 0 } check)
        {
            if (!check.AnyApplied)
            {
                // Nothing is published yet: rolling back keeps the transaction all-or-nothing, all old. The seal goes first.
                operations.ForEach(o => o.Directory.Dispose());
                operations = null;
                if (!dryRun)
                {
                    if (!options.Injects(InjectedDefect.RecoveryRollsBackUnderSeal))
                    {
                        JournalWriter.Empty(root.JournalPath, options.FlushesJournal);
                    }

                    LogDamaged(options.ResolvedLogger, root, check.Damaged, Log.RecoveryRolledBackDamaged);
                }
            }
            else
            {
                // Part of it is published: the rest is completed, the damaged files are not, and each is reported.
                if (!dryRun)
                {
                    LogDamaged(options.ResolvedLogger, root, check.Damaged, Log.RecoveryContentDamaged);
                }

                damaged = check.Damaged;
                unpublished = damaged.Select(d => d.Directory.Join(d.FileName)).ToList();
            }
        }

        var completed = operations is not null;
        if (operations is not null)
        {
            TransactionRecoveryActions.Redo(root, operations, damaged, options, swept, dryRun);
        }
        else
        {
            TransactionRecoveryActions.RollBack(root, journal, options, swept, dryRun);
        }

        if (!dryRun)
        {
            if (defect is not null)
            {
                Log.JournalDamaged(options.ResolvedLogger, root.JournalPath, defect);
            }

            Log.TransactionRecovered(options.ResolvedLogger, root.JournalPath, completed);
        }

        return new TransactionRecoveryResult(root.JournalPath, completed) { UnpublishedFiles = unpublished, RemovedTempFiles = swept };
    }

    /// <summary>
    /// Hashes every staged temp still there and compares it with the journal's content hash (version 2), before
    /// anything is redone. A temp is taken as applied if it is gone: its rename happened before the crash.
    /// </summary>
    /// <exception cref="IOException">Reading a temp failed: the disk's fault, not the temp's; the journal is kept for a later recovery.</exception>
    private static (List<JournaledFile> Damaged, bool AnyApplied) CheckContent(TransactionRoot root, List<JournaledFile> operations, AtomicFileOptions options)
    {
        var damaged = new List<JournaledFile>();
        var anyApplied = false;
        foreach (var file in operations)
        {
            if (file.TempName is not { } tempName)
            {
                continue;
            }

            var state = ProvableTemp.Check(file.Directory, tempName, out _);
            anyApplied |= state == ProvableTemp.State.Absent;
            if (state != ProvableTemp.State.Ours || file.ContentHash is not { } expected || options.Injects(InjectedDefect.RecoverySkipsContentCheck))
            {
                continue;
            }

            string actual;
            try
            {
                using var handle = FileSystemPlatform.Current.OpenToRead(file.Directory, tempName);
                actual = ContentHash.Of(handle);
            }
            catch (UnauthorizedAccessException e)
            {
                // A temp created with a write-only target's mode: unreadable, so unchecked, as a version 1 journal's.
                Log.RecoveryContentUnchecked(options.ResolvedLogger, e, root.JournalPath, file.Directory.Join(file.FileName), file.Directory.Join(tempName));

                continue;
            }

            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                damaged.Add(file);
            }
        }

        return (damaged, anyApplied);
    }

    private static void LogDamaged(ILogger logger, TransactionRoot root, List<JournaledFile> damaged, Action<ILogger, string, string, string> log)
    {
        foreach (var file in damaged)
        {
            log(logger, root.JournalPath, file.Directory.Join(file.FileName), file.Directory.Join(file.TempName!));
        }
    }

    private static string Start(string directory, AtomicFileOptions options) =>
        options.Injects(InjectedDefect.RecoveryWalksLexically)
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))
            : PhysicalPath.OfDirectory(directory);

    private static JournalFile Read(string journalPath, AtomicFileOptions options)
    {
        var found = JournalReader.Read(journalPath);
        if (options.Injects(InjectedDefect.RecoveryTrustsAnyJournal) && found.Trust == JournalTrust.Untrusted)
        {
            // The unchecked behavior: whatever is there is read as if it were ours.
            try
            {
                return found with { Trust = JournalTrust.Trusted, Bytes = File.ReadAllBytes(journalPath), UntrustedBecause = null };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return found;
            }
        }

        return found;
    }

    private static TransactionRecoveryResult Untrusted(JournalFile found, AtomicFileOptions options)
    {
        Log.JournalUntrusted(options.ResolvedLogger, found.Path, found.UntrustedBecause!);

        return new TransactionRecoveryResult(found.Path, Completed: false) { UntrustedBecause = found.UntrustedBecause };
    }

    private static IOException UntrustedJournal(TransactionRoot root, JournalFile found) =>
        new($"The transaction root '{root.FullPath}' holds a journal this user could not have written: '{found.Path}' {found.UntrustedBecause}. "
            + "It is never applied, rolled back or removed by this user: if it is another user's interrupted transaction, that user's next "
            + "transaction or AtomicFile.Recover completes it; if it is not, remove it.");

    /// <summary>
    /// The journal's operations, each opened in its directory inside the root (see
    /// <see cref="TransactionRoot.OpenFromJournal"/>), or <see langword="null"/> if any leads elsewhere or a "temp" is
    /// not one of ours beside its target: a journal this library wrote never does that, so it was forged.
    /// </summary>
    private static List<JournaledFile>? Resolve(TransactionRoot root, ParsedJournal journal)
    {
        var operations = new List<JournaledFile>(journal.Operations.Count);

        // Replaces first, then deletes, as the commit applies them: whether a temp is gone then tells whether anything was applied.
        foreach (var operation in journal.Operations.Where(o => !o.IsDelete).Concat(journal.Operations.Where(o => o.IsDelete)))
        {
            var tempName = operation.Temp is { } temp ? TempNameBeside(operation.Target, temp) : null;
            if ((operation.Temp is not null && tempName is null) || root.OpenFromJournal(operation.Target) is not var (directory, fileName))
            {
                operations.ForEach(o => o.Directory.Dispose());
                return null;
            }

            operations.Add(new JournaledFile(directory, fileName, tempName, operation.ContentHash));
        }

        return operations;
    }

    /// <summary>The temp's name, if the journal's temp is one of ours in the same directory as its target.</summary>
    private static string? TempNameBeside(string target, string temp) =>
        TempFileName.IsTempFileName(Path.GetFileName(temp)) && string.Equals(Path.GetDirectoryName(temp), Path.GetDirectoryName(target), StringComparison.Ordinal)
            ? Path.GetFileName(temp)
            : null;
}
