using AtomicFiles.Platform;
using AtomicFiles.Recovery;
using AtomicFiles.Transactions;

namespace AtomicFiles;

public static partial class AtomicFile
{
    /// <summary>
    /// Cleans up after writers that died — a crash, a kill -9, a power cut — in <paramref name="directory"/>: finishes
    /// or rolls back an interrupted transaction rooted there or above, then removes the temp files dead writers left. Only files named like the library's temps (<c>.{name}.{10 random characters}.tmp</c>)
    /// are looked at, and a temp whose writer is still alive (it holds a lock on it for its whole life) is never removed,
    /// so this is safe to run at any time, also while other processes write. Subdirectories are not visited, except
    /// below the root of an interrupted transaction: there every directory is swept, since a crash can leave that
    /// transaction's temps where its damaged journal no longer names them.
    /// </summary>
    /// <param name="directory">The directory to recover.</param>
    /// <param name="options">
    /// Supplies the logger, and how long to wait for a live transaction rooted here or above to finish before its
    /// journal can be examined (<see cref="AtomicFileOptions.LockTimeout"/>); <see langword="null"/> for
    /// <see cref="AtomicFileOptions.Default"/>.
    /// </param>
    /// <returns>What was found and done; <see cref="RecoveryReport.IsClean"/> if there was nothing to do.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="TimeoutException">A live transaction held its root longer than <see cref="AtomicFileOptions.LockTimeout"/>; the message names the root. Nothing was swept.</exception>
    /// <exception cref="IOException">Listing the directory or removing a temp file failed.</exception>
    /// <remarks>
    /// <para>
    /// Journals are looked for in the directory's physical location (every symbolic link resolved, as the kernel
    /// resolves a <c>..</c> after one) and in each directory above it on the same filesystem. Only a journal this user
    /// could have written is acted on — on Unix a regular file with one link, owned by the effective user and writable
    /// by nobody else; any other (another user's, planted in a shared directory, a link, a FIFO) is left as it is,
    /// logged and listed in <see cref="RecoveryReport.UntrustedJournals"/>, and no lock file is created beside it.
    /// A damaged journal is rolled back and removed; a committed one whose operation has become impossible (a file to
    /// delete replaced by a directory) is completed without that operation, which is logged as an error.
    /// </para>
    /// Temps this process may not open (another user's, in a shared directory) are left as they are and logged.
    /// Update's sidecar lock files (<c>.{name}.lock</c>) are kept: removing one could let two updaters in at once.
    /// </remarks>
    public static RecoveryReport Recover(string directory, AtomicFileOptions? options = null) => RecoverCore(directory, options, dryRun: false, CancellationToken.None);

    /// <summary>
    /// Reports what <see cref="Recover"/> would do in <paramref name="directory"/> now — the transactions it would
    /// complete or roll back, the temp files it would remove — and changes nothing: no file, journal, temp or lock file
    /// is created, modified or removed. Useful before running <see cref="Recover"/> on data an operator cares about.
    /// </summary>
    /// <param name="directory">The directory to examine.</param>
    /// <param name="options">
    /// Supplies the logger, and how long to wait for a live transaction rooted here or above to finish before its
    /// journal can be examined (<see cref="AtomicFileOptions.LockTimeout"/>); <see langword="null"/> for
    /// <see cref="AtomicFileOptions.Default"/>.
    /// </param>
    /// <returns>
    /// A report with <see cref="RecoveryReport.IsDryRun"/> set, listing what <see cref="Recover"/> would do. A writer
    /// that dies or starts after this call can make <see cref="Recover"/> find more or less.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="TimeoutException">A live transaction held its root longer than <see cref="AtomicFileOptions.LockTimeout"/>; the message names the root.</exception>
    /// <exception cref="IOException">Listing a directory, or reading a journal or a staged temp file, failed.</exception>
    /// <remarks>
    /// The same journals and temps are judged as by <see cref="Recover"/>, by the same rules: a live writer's temp is
    /// never listed, and a live transaction's lock is waited for, so it is not taken for an interrupted one (where the
    /// root has no lock file, no transaction can hold one, and none is created).
    /// </remarks>
    public static RecoveryReport RecoverDryRun(string directory, AtomicFileOptions? options = null) => RecoverCore(directory, options, dryRun: true, CancellationToken.None);

    /// <summary>
    /// Whether <paramref name="path"/> names one of the temp files this library writes beside a target
    /// (<c>.{name}.{10 random characters}.tmp</c>): for a <see cref="FileSystemWatcher"/> or a backup job that must
    /// ignore files that are either about to become a target or left by a writer that died (<see cref="Recover"/>
    /// removes those).
    /// </summary>
    /// <param name="path">A file name, or a path whose last segment is looked at; the file need not exist.</param>
    /// <returns><see langword="true"/> if the name has the temp files' shape; nothing is read from disk.</returns>
    public static bool IsTempFileName(ReadOnlySpan<char> path) => TempFileName.IsTempFileName(Path.GetFileName(path));

    /// <summary>
    /// Cleans up after writers that died in <paramref name="directory"/>, as <see cref="Recover"/> does, on a thread-pool
    /// thread, with a cancellable wait for a live transaction's lock.
    /// </summary>
    /// <param name="directory">The directory to recover.</param>
    /// <param name="options">
    /// Supplies the logger, and how long to wait for a live transaction rooted here or above to finish before its
    /// journal can be examined (<see cref="AtomicFileOptions.LockTimeout"/>); <see langword="null"/> for
    /// <see cref="AtomicFileOptions.Default"/>.
    /// </param>
    /// <param name="cancellationToken">
    /// Cancels the wait for a live transaction's lock, and the work between one journal or temp and the next; what was
    /// already recovered stays recovered (each step is itself all or nothing).
    /// </param>
    /// <returns>What was found and done; <see cref="RecoveryReport.IsClean"/> if there was nothing to do.</returns>
    /// <remarks>See <see cref="Recover"/> for which journals and temps are acted on.</remarks>
    /// <inheritdoc cref="Recover" path="/exception"/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<RecoveryReport> RecoverAsync(string directory, AtomicFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);

        // Recovery is a short run of blocking calls (flock polls, renames, fsyncs): off the caller's thread.
        return Task.Run(() => RecoverCore(directory, options, dryRun: false, cancellationToken), cancellationToken);
    }

    private static RecoveryReport RecoverCore(string directory, AtomicFileOptions? options, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= AtomicFileOptions.Default;
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{fullPath}' to recover.");
        }

        // Step 1, transactions: finish the journals past their commit point, roll back the others. It must come
        // before the sweep, because a journal being finished still needs its staged temps to redo its renames. The
        // walk starts from the directory as the kernel resolves it (the caller's spelling, not the lexical full path).
        var transactions = TransactionRecovery.RecoverEnclosing(directory, options, dryRun, cancellationToken);
        var completedTransactions = transactions.Where(t => t.Completed).Select(t => t.JournalPath).ToList();
        var rolledBackTransactions = transactions.Where(t => !t.Completed && t.UntrustedBecause is null).Select(t => t.JournalPath).ToList();
        var untrustedJournals = transactions.Where(t => t.UntrustedBecause is not null).Select(t => t.JournalPath).ToList();
        var unpublishedFiles = transactions.SelectMany(t => t.UnpublishedFiles).ToList();

        // Step 2: remove the temps of writers that died (including those a rolled-back transaction staged). A '..'
        // is resolved by the kernel after any link before it, which the lexical full path does not do.
        cancellationToken.ThrowIfCancellationRequested();
        var sweepPath = HasParentSegment(directory) ? PhysicalPath.OfDirectory(directory) : fullPath;
        var sweep = OrphanSweeper.Sweep(sweepPath, remove: !dryRun, options);

        var removedTempFiles = transactions.SelectMany(t => t.RemovedTempFiles).Concat(sweep.Orphaned).Distinct(StringComparer.Ordinal).ToList();
        return new RecoveryReport(sweepPath, removedTempFiles, completedTransactions, rolledBackTransactions, untrustedJournals, unpublishedFiles) { IsDryRun = dryRun };
    }

    private static bool HasParentSegment(string path) =>
        path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Contains("..", StringComparer.Ordinal);
}
