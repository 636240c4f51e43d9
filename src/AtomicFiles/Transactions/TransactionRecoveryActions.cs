using AtomicFiles.FaultInjection;
using AtomicFiles.Logging;
using AtomicFiles.Platform;
using AtomicFiles.Recovery;
using Microsoft.Extensions.Logging;

namespace AtomicFiles.Transactions;

/// <summary>
/// What recovery does once <see cref="TransactionRecovery"/> has judged a journal: redo a committed one, or roll back
/// any other, then sweep the root's tree and remove the journal, last.
/// </summary>
internal static class TransactionRecoveryActions
{
    // Every directory below the root, hidden ones included; a symbolic link to a directory is not entered.
    private static readonly EnumerationOptions s_tree = new()
    {
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
        RecurseSubdirectories = true,
        MatchType = MatchType.Simple,
    };

    /// <summary>
    /// Applies a committed journal. An operation that has become impossible since the commit point (its target is a
    /// directory now, access is denied) is skipped and logged, and the rest is done: a root is never left with a
    /// journal that fails forever. A failure of the disk itself (EIO, ENOSPC, a read-only filesystem) is thrown, and
    /// the journal kept for a later recovery.
    /// </summary>
    /// <param name="root">The transaction root.</param>
    /// <param name="operations">The journal's operations, replaces first, as the commit applied them.</param>
    /// <param name="damaged">Replaces whose staged content no longer matches its hash: never published, their temps removed.</param>
    /// <param name="options">Durability, logger, injected defects.</param>
    /// <param name="swept">Receives the orphaned temps removed from the root's tree.</param>
    /// <param name="dryRun">Change nothing: only list the orphaned temps the sweep would remove.</param>
    internal static void Redo(TransactionRoot root, List<JournaledFile> operations, List<JournaledFile> damaged, AtomicFileOptions options, List<string> swept, bool dryRun)
    {
        var platform = FileSystemPlatform.Current;
        var logger = options.ResolvedLogger;
        var touched = new List<DirectoryHandle>();
        try
        {
            if (dryRun)
            {
                // The journal still names every staged temp, so the sweep leaves them alone, as the real one does.
                swept.AddRange(SweepTree(root, options, remove: false));
                return;
            }

            if (options.Injects(InjectedDefect.RecoveryRemovesJournalFirst))
            {
                platform.DeleteFile(root.JournalPath);
                platform.FlushDirectory(root.FullPath);
            }

            foreach (var file in operations)
            {
                var (directory, fileName, tempName, _) = file;
                var target = directory.Join(fileName);
                var isDirectory = IsDirectory(platform, directory, fileName);
                if (tempName is null)
                {
                    if (isDirectory)
                    {
                        Skipped(logger, root, "delete", target, null);
                        continue;
                    }

                    if (!TryApply(logger, root, "delete", target, () => platform.DeleteFile(directory, fileName)))
                    {
                        continue;
                    }
                }
                else
                {
                    switch (ProvableTemp.Check(directory, tempName, out var notOurs))
                    {
                        case ProvableTemp.State.Absent:
                            // A replace whose temp is gone was applied before the crash; redoing the rest is what remains.
                            break;
                        case ProvableTemp.State.NotOurs:
                            Log.RecoveryTempNotOurs(logger, root.JournalPath, directory.Join(tempName), target, notOurs!);
                            continue;
                        case ProvableTemp.State.Ours when damaged.Contains(file):
                            TryApply(logger, root, "remove the damaged staged temp", directory.Join(tempName), () => platform.DeleteFile(directory, tempName));
                            continue;
                        default:
                            if (isDirectory)
                            {
                                Skipped(logger, root, "replace", target, null);
                            }

                            if (isDirectory || !TryApply(logger, root, "replace", target, () => platform.Replace(directory, tempName, fileName, options)))
                            {
                                // Its content can never be published now; it is ours, so it is not left behind as litter.
                                TryApply(logger, root, "remove the staged temp", directory.Join(tempName), () => platform.DeleteFile(directory, tempName));
                                continue;
                            }

                            break;
                    }
                }

                touched.Add(directory);
            }

            if (options.FlushesDirectories)
            {
                foreach (var directory in touched.DistinctBy(d => d.Path, TransactionRoot.PathComparer))
                {
                    platform.FlushDirectory(directory);
                }
            }

            swept.AddRange(SweepTree(root, options, remove: true));
            platform.DeleteFile(root.JournalPath);
            if (options.FlushesDirectories)
            {
                platform.FlushDirectory(root.FullPath);
            }
        }
        finally
        {
            operations.ForEach(o => o.Directory.Dispose());
        }
    }

    /// <summary>Whether a directory is at the name; a name that cannot even be examined is left for the operation itself to fail on.</summary>
    private static bool IsDirectory(FileSystemPlatform platform, DirectoryHandle directory, string name)
    {
        try
        {
            return platform.Inspect(directory, name) is { Kind: FileKind.Directory };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryApply(ILogger logger, TransactionRoot root, string operation, string path, Action apply)
    {
        try
        {
            apply();
            return true;
        }
        catch (Exception e) when (IsImpossibleNow(e))
        {
            Skipped(logger, root, operation, path, e);
            return false;
        }
    }

    private static void Skipped(ILogger logger, TransactionRoot root, string operation, string path, Exception? exception) =>
        Log.RecoveryOperationSkipped(logger, exception, root.JournalPath, operation, path);

    /// <summary>
    /// Whether a failure comes from what is at the path now (which no retry changes) rather than from the disk (which a
    /// later recovery may find healthy again).
    /// </summary>
    private static bool IsImpossibleNow(Exception e) => e switch
    {
        UnauthorizedAccessException or DirectoryNotFoundException or FileNotFoundException or PathTooLongException => true,
        IOException io when OperatingSystem.IsWindows() => Platform.Windows.WindowsErrors.Is(io, Platform.Interop.Windows.Interop.Errors.ERROR_ACCESS_DENIED)
            || Platform.Windows.WindowsErrors.Is(io, Platform.Interop.Windows.Interop.Errors.ERROR_DIR_NOT_EMPTY) || Platform.Windows.WindowsErrors.Is(io, Platform.Interop.Windows.Interop.Errors.ERROR_ALREADY_EXISTS),
        IOException io => io.HResult == Platform.Interop.Unix.Interop.Errno.EISDIR || io.HResult == Platform.Interop.Unix.Interop.Errno.ENOTDIR
            || io.HResult == Platform.Interop.Unix.Interop.Errno.EEXIST || io.HResult == Platform.Interop.Unix.Interop.Errno.ELOOP
            || io.HResult == Platform.Interop.Unix.Interop.Errno.EXDEV || io.HResult == Platform.Interop.Unix.Interop.Errno.ENOTEMPTY,
        _ => false,
    };

    /// <summary>
    /// Rolls back a journal that did not reach its commit point (or cannot be trusted to have): removes the temps it
    /// names that are provably ours, sweeps the root's tree, then removes the journal.
    /// </summary>
    /// <param name="root">The transaction root.</param>
    /// <param name="journal">The journal as parsed, whatever its damage.</param>
    /// <param name="options">Logger, injected defects and step hooks.</param>
    /// <param name="removed">Receives the temps removed: the journal's and the sweep's.</param>
    /// <param name="dryRun">Change nothing: only list the temps that would be removed.</param>
    internal static void RollBack(TransactionRoot root, ParsedJournal journal, AtomicFileOptions options, List<string> removed, bool dryRun)
    {
        var logger = options.ResolvedLogger;
        var platform = FileSystemPlatform.Current;
        foreach (var temp in journal.Temps.Distinct(TransactionRoot.PathComparer))
        {
            // Only what is provably one of our temps inside the root: a damaged journal must not delete user files.
            // One that cannot be removed is left to the orphan sweep rather than keeping the journal forever.
            if (root.OpenFromJournal(temp) is not var (directory, tempName))
            {
                continue;
            }

            using (directory)
            {
                if (TempFileName.IsTempFileName(tempName) && ProvableTemp.Check(directory, tempName, out _) == ProvableTemp.State.Ours)
                {
                    if (dryRun || TryApply(logger, root, "remove the staged temp", directory.Join(tempName), () => platform.DeleteFile(directory, tempName)))
                    {
                        removed.Add(directory.Join(tempName));
                    }

                    if (!dryRun)
                    {
                        options.Reached(ProtocolStep.RecoveryRemove, temp);
                    }
                }
            }
        }

        removed.AddRange(SweepTree(root, options, remove: !dryRun));
        if (!dryRun)
        {
            // Not flushed: if a power cut brings the journal back, it is rolled back again, and its temps are already gone.
            platform.DeleteFile(root.JournalPath);
        }
    }

    /// <summary>
    /// Removes the orphaned temps anywhere under the root, by the orphan sweep's rules (our temp pattern, no live
    /// writer's lock, not named by a journal that still guards it). A crash between the staged temps' flush and the
    /// journal's leaves a journal that is empty, zero-filled or torn, which cannot name them; a journal that exists
    /// at all is the sign that a transaction may have staged anywhere under the root. Done before the journal is
    /// removed, so a crash during the sweep leaves the sign for the next recovery. Symbolic links are not followed.
    /// </summary>
    /// <returns>The orphaned temps found: removed, unless <paramref name="remove"/> is false (a dry run).</returns>
    private static List<string> SweepTree(TransactionRoot root, AtomicFileOptions options, bool remove)
    {
        var removed = new List<string>();
        if (options.Injects(InjectedDefect.RecoverySweepsOnlyJournaledTemps))
        {
            return removed;
        }

        foreach (var directory in Directory.EnumerateDirectories(root.FullPath, "*", s_tree).Prepend(root.FullPath))
        {
            try
            {
                removed.AddRange(OrphanSweeper.Sweep(directory, remove, options).Orphaned);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A directory that vanished or cannot be listed: its temps wait for the next sweep, the journal does not.
                Log.TempCleanupFailed(options.ResolvedLogger, e, directory);
            }
        }

        return removed;
    }
}
