using AtomicFiles.Logging;
using AtomicFiles.Platform;
using AtomicFiles.Transactions;

namespace AtomicFiles.Recovery;

/// <summary>
/// Finds, and removes, the temp files writers left in a directory when they died before committing. Looks only at
/// names of the library's temp pattern, and never removes a temp whose writer still holds its lock.
/// </summary>
internal static class OrphanSweeper
{
    // Temps are hidden files on Unix: the default enumeration would skip them.
    private static readonly EnumerationOptions s_allEntries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        MatchType = MatchType.Simple,
    };

    /// <summary>What a sweep found: temps of dead writers (removed unless it was a dry run) and temps of live ones.</summary>
    internal sealed record Result(IReadOnlyList<string> Orphaned, IReadOnlyList<string> InUse);

    /// <summary>Checks every temp-named file directly in <paramref name="directory"/>; removes the orphaned ones if <paramref name="remove"/>.</summary>
    /// <param name="directory">A full path to an existing directory.</param>
    /// <param name="remove">False for a dry run: report, change nothing.</param>
    /// <param name="options">Supplies the logger.</param>
    internal static Result Sweep(string directory, bool remove, AtomicFileOptions options)
    {
        var platform = FileSystemPlatform.Current;
        var orphaned = new List<string>();
        var inUse = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*", s_allEntries))
        {
            if (!TempFileName.IsTempFileName(Path.GetFileName(path.AsSpan())))
            {
                continue;
            }

            // A journal above the temp that names it means a live transaction, or a crashed one recovery must finish:
            // its staged temps are not orphans even when they can be locked.
            if (TransactionRecovery.IsGuardedByJournal(path, options))
            {
                inUse.Add(path);
                continue;
            }

            TempFileState state;
            try
            {
                state = platform.CheckTemp(path, remove);
            }
            catch (UnauthorizedAccessException e)
            {
                // Another user's temp in a shared directory: not ours to judge. The rest of the sweep goes on.
                Log.TempNotAccessible(options.ResolvedLogger, e, path);

                continue;
            }

            switch (state)
            {
                case TempFileState.Orphaned:
                    orphaned.Add(path);
                    if (remove)
                    {
                        Log.OrphanRemoved(options.ResolvedLogger, path);
                    }

                    break;
                case TempFileState.InUse:
                    inUse.Add(path);
                    Log.TempInUse(options.ResolvedLogger, path);

                    break;
            }
        }

        // No directory flush: a removed orphan that reappears after a power cut is still only an orphan.
        return new Result(orphaned, inUse);
    }
}
