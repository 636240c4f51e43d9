using AtomicFiles.Commit;
using AtomicFiles.FaultInjection;
using AtomicFiles.Logging;
using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>
/// The staged operations of one transaction and the protocol that makes them take effect together: stage each write
/// as a journaled temp; at commit flush the temps, seal and flush the journal (the commit point), apply the renames
/// and deletes, flush the touched directories, remove the journal; before the commit point, roll back.
/// </summary>
/// <remarks>
/// The invariants it keeps, which recovery relies on: a temp's stage line is journaled before the temp exists, and is
/// durable before the temp is flushed; the journal is sealed only after every staged temp is flushed and still there,
/// and names only the final operation on each path; nothing is renamed or deleted before the seal, and every directory
/// a temp is staged in, are durable; the journal is removed only after every touched directory is flushed; a rollback
/// unseals the journal before removing a temp, and removes the journal last.
/// The caller (<see cref="AtomicFileTransaction"/>) holds the root's lock throughout and owns the root.
/// </remarks>
internal sealed class TransactionProtocol : IDisposable
{
    private readonly TransactionRoot _root;
    private readonly AtomicFileOptions _options;
    private readonly FileSystemPlatform _platform = FileSystemPlatform.Current;
    private readonly List<StagedReplace> _replaces = [];
    private readonly List<StagedDelete> _deletes = [];
    private ReplacedFileHolder? _replaced;
    private JournalWriter? _journal;

    internal TransactionProtocol(TransactionRoot root, AtomicFileOptions options)
    {
        _root = root;
        _options = options;
    }

    /// <summary>Whether the sealed journal is durable: from then on the transaction happens even if the process dies.</summary>
    internal bool ReachedCommitPoint { get; private set; }

    internal int ReplaceCount => _replaces.Count;

    internal int DeleteCount => _deletes.Count;

    /// <summary>Stages a write of <paramref name="target"/>, superseding any earlier operation on the same path.</summary>
    /// <param name="target">The resolved target; owned by the staging from here on, also if this throws.</param>
    /// <param name="relative">The target's path relative to the root.</param>
    /// <param name="buffered">Whether the caller writes in small pieces (a stream handed out) or all at once.</param>
    /// <returns>The stream the caller writes the new content to.</returns>
    internal Stream StageWrite(ResolvedTarget target, string relative, bool buffered)
    {
        JournalWriter? journal;
        try
        {
            journal = Journal();
        }
        catch
        {
            target.Dispose();
            throw;
        }

        var relativeDirectory = Path.GetDirectoryName(relative)!;

        // Journaled before the temp exists: whenever a crash strikes, recovery knows every temp to remove.
        var staged = StagedFile.Create(target, _options, temp => journal?.AppendStage(Path.Join(relativeDirectory, Path.GetFileName(temp)), relative));
        var content = new StagedContentStream(staged);
        Stream stream = buffered ? new BufferedStream(content, _options.BufferSize) : content;

        // Only now that the new staging exists: if it had failed, the earlier one would still stand.
        Supersede(relative);
        _replaces.Add(new StagedReplace(staged, stream, content, relative));
        _options.Reached(ProtocolStep.Stage, relative);
        return stream;
    }

    /// <summary>Stages a delete of <paramref name="fileName"/>, superseding any earlier operation on the same path.</summary>
    /// <param name="directory">The file's directory; owned by the staging from here on.</param>
    /// <param name="fileName">The file's name in <paramref name="directory"/>.</param>
    /// <param name="relative">The file's path relative to the root.</param>
    internal void StageDelete(DirectoryHandle directory, string fileName, string relative)
    {
        // Journaled at the commit point, with the final operations: a delete creates no temp that recovery must know of.
        Supersede(relative);
        _deletes.Add(new StagedDelete(directory, fileName, relative));
        _options.Reached(ProtocolStep.PrepareDelete, relative);
    }

    /// <summary>The first staged file whose write threw: its content is unknown, so the transaction must not commit.</summary>
    internal StagedFile? FailedWrite() => _replaces.Select(r => r.File).FirstOrDefault(f => f.WriteFailure is not null);

    /// <summary>
    /// Runs the protocol from the staged files to the removed journal. Anything it throws before
    /// <see cref="ReachedCommitPoint"/> leaves every file unchanged, for <see cref="RollBack"/> to clean up; after it,
    /// the journal stays for <see cref="Abandon"/> and recovery, except for a
    /// <see cref="DurabilityNotConfirmedException"/>, thrown when everything is in place.
    /// </summary>
    internal void Commit(CancellationToken cancellationToken)
    {
        foreach (var replace in _replaces)
        {
            replace.Stream.Dispose();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var renameFirst = _options.Injects(InjectedDefect.RenameBeforeFileFlush);
        if (!renameFirst)
        {
            FlushStagedFiles();
        }

        ThrowIfAnyTempVanished();
        cancellationToken.ThrowIfCancellationRequested();
        WriteCommitPoint();
        ReachedCommitPoint = true;

        Apply();
        if (renameFirst)
        {
            _options.Faults?.BetweenRenameAndFileFlush?.Invoke();
            FlushStagedFiles();
        }

        foreach (var replace in _replaces)
        {
            replace.File.Dispose();
        }

        FlushTouchedDirectories();
        RemoveJournal();
        _replaced?.Dispose();
    }

    /// <summary>
    /// Unseals the journal if needed, removes the temps, and the journal last: a crash at any point in between leaves
    /// an unsealed journal that still names what is left to remove. Never throws an I/O error: it runs on error paths.
    /// </summary>
    internal void RollBack()
    {
        try
        {
            if (_journal is { IsSealed: true } sealedJournal && !_options.Injects(InjectedDefect.RollbackKeepsSeal))
            {
                sealedJournal.Unseal();
                _options.Reached(ProtocolStep.RollbackUnseal);
            }

            foreach (var replace in _replaces)
            {
                CloseForRollback(replace.Stream);
                replace.File.Dispose();
                _options.Reached(ProtocolStep.RollbackRemove, replace.Relative);
            }

            if (_journal is { } journal)
            {
                journal.Dispose();
                _platform.DeleteFile(journal.Path);
                _options.Reached(ProtocolStep.RollbackJournalRemove);
            }

            Log.TransactionRolledBack(_options.ResolvedLogger, _root.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never hide the original exception. The journal left behind is rolled back by recovery.
            Log.TempCleanupFailed(_options.ResolvedLogger, e, _root.JournalPath);
        }
    }

    /// <summary>After the commit point: close everything but delete nothing, so recovery can complete the transaction.</summary>
    internal void Abandon()
    {
        foreach (var replace in _replaces)
        {
            replace.File.CloseForRecovery();
        }

        _journal?.Dispose();
    }

    /// <summary>Lets go of the held replaced files and of the directories the staged deletes hold open.</summary>
    public void Dispose()
    {
        // Still held only when the commit failed part-way: freeing them is no longer on anyone's critical path.
        _replaced?.Dispose();
        foreach (var delete in _deletes)
        {
            delete.Directory.Dispose();
        }
    }

    private JournalWriter? Journal()
    {
        if (_journal is null && !_options.Injects(InjectedDefect.SkipTransactionJournal))
        {
            _journal = JournalWriter.Create(_root.JournalPath);
            _options.Reached(ProtocolStep.JournalCreate);
        }

        return _journal;
    }

    /// <summary>
    /// Drops an earlier staged write or delete of <paramref name="relative"/>: the last operation on a path wins. The
    /// earlier temp is removed now; its stage line stays in the journal, naming a temp that no longer exists (recovery
    /// skips it), and the operations written at the commit point are the final ones only.
    /// </summary>
    private void Supersede(string relative)
    {
        var replace = _replaces.FindIndex(r => TransactionRoot.PathComparer.Equals(r.Relative, relative));
        if (replace >= 0)
        {
            var superseded = _replaces[replace];
            _replaces.RemoveAt(replace);
            CloseForRollback(superseded.Stream);
            if (_options.Injects(InjectedDefect.SupersedeKeepsTemp))
            {
                superseded.File.CloseForRecovery();
            }
            else
            {
                superseded.File.Dispose();
            }

            _options.Reached(ProtocolStep.Supersede, relative);
        }

        var delete = _deletes.FindIndex(d => TransactionRoot.PathComparer.Equals(d.Relative, relative));
        if (delete >= 0)
        {
            _deletes[delete].Directory.Dispose();
            _deletes.RemoveAt(delete);
            _options.Reached(ProtocolStep.Supersede, relative);
        }
    }

    /// <summary>fsyncs every staged file at once: concurrent flushes let the filesystem batch them into few journal commits.</summary>
    private void FlushStagedFiles()
    {
        if (_replaces.Count == 0 || !_options.FlushesFiles)
        {
            return;
        }

        // The journal, naming every temp, must be on disk before any temp is: a filesystem that makes one file's fsync
        // durable on its own (btrfs's log tree) could otherwise keep the temps after a power cut and lose the journal,
        // and recovery, which finds temps through the journal, would never remove them.
        if (_journal is { } journal && _options.FlushesJournal && !_options.Injects(InjectedDefect.TempsFlushedBeforeJournal))
        {
            journal.FlushToDisk();
            _options.Reached(ProtocolStep.StageJournalFlush);
        }

        IoThreads.ForEach(_replaces, replace =>
        {
            replace.File.FlushToDisk();
            _options.Reached(ProtocolStep.FileFlush, replace.Relative);
        });
    }

    /// <summary>A temp removed behind our back would make the journal promise a rename that cannot happen.</summary>
    private void ThrowIfAnyTempVanished()
    {
        foreach (var replace in _replaces)
        {
            if (_platform.Inspect(replace.File.Target.Directory, replace.File.TempName) is null)
            {
                throw new IOException($"The staged temp file '{replace.File.TempPath}' for '{replace.File.Target.FullPath}' was removed by another process; the transaction is rolled back.");
            }
        }
    }

    /// <summary>Seals the journal and makes it durable: from here on, the transaction happens even if the process dies.</summary>
    private void WriteCommitPoint()
    {
        if (Journal() is not { } journal)
        {
            return;
        }

        // The final operations go in now, when every staged write is done and every superseded one dropped: the content
        // hashes are known, and a sealed journal never names an operation a later one replaced.
        foreach (var replace in _replaces)
        {
            journal.AppendReplace(Path.Join(Path.GetDirectoryName(replace.Relative)!, replace.File.TempName), replace.Relative, replace.Content.ContentHashHex);
        }

        foreach (var delete in _deletes)
        {
            journal.AppendDelete(delete.Relative);
        }

        journal.Seal();
        _options.Reached(ProtocolStep.JournalWrite);
        if (_options.FlushesJournal)
        {
            journal.FlushToDisk();
            _options.Reached(ProtocolStep.JournalFlush);
        }

        if (_options.FlushesDirectories)
        {
            // All at once: concurrent directory flushes share the filesystem's commits.
            IoThreads.ForEach(StagingDirectories(), directory => DirectoryFlushGroup.Flush(_platform, directory, _options));
            _options.Reached(ProtocolStep.JournalDirectoryFlush);
        }
    }

    /// <summary>
    /// The root (the journal's directory) and every directory a temp is staged in, flushed while the temps are still
    /// there. On btrfs a temp flushed in a directory that was not flushed itself since btrfs's last full commit could
    /// come back under its temp name after a power cut, although it had been renamed away and the directory flushed
    /// since; the transaction was complete and its journal gone, so no recovery knew of it (docs/power-loss.md, "Litter").
    /// </summary>
    private string[] StagingDirectories()
    {
        if (_options.Injects(InjectedDefect.StagingDirectoriesUnflushedBeforeRenames))
        {
            return [_root.FullPath];
        }

        return [.. _replaces.Select(r => Path.Join(_root.FullPath, Path.GetDirectoryName(r.Relative))).Prepend(_root.FullPath).Distinct(TransactionRoot.PathComparer)];
    }

    private void Apply()
    {
        _replaced = ReplacedFileHolder.For(_replaces.Count + _deletes.Count, _replaces.Sum(r => r.Content.BytesWritten));
        foreach (var replace in _replaces)
        {
            if (replace.File.Target.Existing is { Kind: FileKind.RegularFile })
            {
                _replaced?.Hold(replace.File.Target.Directory, replace.File.Target.FileName);
            }

            replace.File.Publish(overwrite: true);
            _options.Reached(ProtocolStep.Rename, replace.Relative);
        }

        foreach (var delete in _deletes)
        {
            _replaced?.Hold(delete.Directory, delete.FileName);
            _platform.DeleteFile(delete.Directory, delete.FileName);
            _options.Reached(ProtocolStep.Delete, delete.Relative);
        }
    }

    private void FlushTouchedDirectories()
    {
        if (!_options.FlushesDirectories)
        {
            return;
        }

        // Each directory once, all at once: like the files' flushes, concurrent ones share the filesystem's commits.
        var directories = new Dictionary<string, string>(TransactionRoot.PathComparer);
        foreach (var relative in _replaces.Select(r => r.Relative).Concat(_deletes.Select(d => d.Relative)))
        {
            directories.TryAdd(Path.GetDirectoryName(relative)!, relative);
        }

        (Exception Error, string Path)? failure = null;
        IoThreads.ForEach(directories.ToArray(), touched =>
        {
            var (directory, firstFile) = touched;
            try
            {
                DirectoryFlushGroup.Flush(_platform, Path.Join(_root.FullPath, directory), _options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (directories)
                {
                    failure ??= (e, Path.Join(_root.FullPath, firstFile));
                }

                return;
            }

            _options.Reached(ProtocolStep.DirectoryFlush, directory.Length == 0 ? "." : directory);
        });

        if (failure is { } failed)
        {
            // Everything is in place; the journal, still there, lets recovery flush again.
            throw DurabilityNotConfirmed(failed.Error, failed.Path);
        }
    }

    private void RemoveJournal()
    {
        if (_journal is not { } journal)
        {
            return;
        }

        journal.Dispose();
        _platform.DeleteFile(journal.Path);
        _options.Reached(ProtocolStep.JournalRemove);

        // Else a power cut could bring the journal back, and its deletes would be redone over files written since.
        if (_options.FlushesDirectories)
        {
            try
            {
                DirectoryFlushGroup.Flush(_platform, _root.FullPath, _options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Every change is in place: a failure no longer means "unchanged", only "durability unknown".
                throw DurabilityNotConfirmed(e, _root.FullPath);
            }

            _options.Reached(ProtocolStep.RootDirectoryFlush);
        }
    }

    private DurabilityNotConfirmedException DurabilityNotConfirmed(Exception error, string pathForError)
    {
        _journal?.Dispose();
        Log.DirectoryFlushFailed(_options.ResolvedLogger, error, pathForError);

        return new DurabilityNotConfirmedException(pathForError, error);
    }

    /// <summary>Closes a stream handed out for a staged file: what it still buffers was bound for a temp about to be removed.</summary>
    private static void CloseForRollback(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its write failed (a full disk, or the staged file's earlier failure): the rest of the rollback matters more.
        }
    }
}
