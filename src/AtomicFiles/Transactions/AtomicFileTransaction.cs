using System.Diagnostics;
using System.Text;
using AtomicFiles.Commit;
using AtomicFiles.Locking;
using AtomicFiles.Logging;
using AtomicFiles.Platform;
using AtomicFiles.Transactions;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles;

/// <summary>
/// Several file replacements and deletions under one root directory that take effect together: after a crash at any
/// instant — an exception, kill -9, a power cut — either all of them are in place or none is. Obtain one from
/// <see cref="AtomicFile.BeginTransaction"/>.
/// </summary>
/// <remarks>
/// <para>Nothing is visible until <see cref="Commit"/>: each file is staged as a temp beside its target. Disposing the
/// transaction without committing rolls back — the temps are removed and every file stays as it was.</para>
/// <para>Transactions in the same root are serialized across processes by a lock the transaction holds from
/// <see cref="AtomicFile.BeginTransaction"/> until it commits or is disposed; the operating system releases it if the
/// process dies. Like <see cref="FileStream"/>, a transaction is not safe for concurrent use by several threads.</para>
/// <para>Every path must name a file inside the root, on the root's filesystem, in a directory that exists. A call
/// naming any other path throws before anything is written, and the transaction stays usable.</para>
/// <para>The last operation on a path wins, as if the operations were applied in order: a write then a delete of the
/// same file deletes it, a delete then a write writes it, and two writes leave the second content. The superseded
/// staging is removed at once (a stream an earlier <see cref="Create"/> returned for the path is closed), and the
/// journal records only the final operation on each path.</para>
/// <para>A staged write that throws — a full disk, an I/O error, a cancelled asynchronous write — poisons the whole
/// transaction, even if the caller catches that exception: the staged file may hold part of its content, and
/// publishing the others without it would break all-or-nothing. <see cref="Commit"/> then throws
/// <see cref="IOException"/> naming the file and rolls back every staged file and the journal; staging more files or
/// deletions throws <see cref="InvalidOperationException"/>. Begin a new transaction to try again.</para>
/// </remarks>
public sealed class AtomicFileTransaction : IDisposable, IAsyncDisposable
{
    // Each held file is a descriptor on top of the staged temps' own; past this many the rest are freed in their
    // renames as before, so a huge transaction cannot run the process out of descriptors (and then fail to open a
    // directory for its flush after the commit point). 1024 covers the transactions measured (100 files) many times over.
    private const int MaxHeldReplacedFiles = 1024;

    private readonly TransactionRoot _root;
    private readonly AtomicFileOptions _options;
    private readonly FileLock _lock;
    private readonly FileSystemPlatform _platform = FileSystemPlatform.Current;
    private readonly List<StagedReplace> _replaces = [];
    private readonly List<(DirectoryHandle Directory, string FileName, string Relative)> _deletes = [];
    private readonly List<SafeFileHandle> _replacedFiles = [];
    private JournalWriter? _journal;
    private State _state;

    private AtomicFileTransaction(TransactionRoot root, FileLock rootLock, AtomicFileOptions options)
    {
        _root = root;
        _lock = rootLock;
        _options = options;
    }

    private enum State
    {
        Open,
        Committing,
        Committed,
        RolledBack,
        Failed,
    }

    /// <summary>The root directory, as a full path with symbolic links resolved.</summary>
    public string RootDirectory => _root.FullPath;

    /// <summary>
    /// Whether the transaction reached its commit point. True also when <see cref="Commit"/> threw after that point
    /// (<see cref="DurabilityNotConfirmedException"/>, or an <see cref="IOException"/> that recovery will complete).
    /// </summary>
    public bool IsCommitted { get; private set; }

    /// <summary>
    /// Stages a new content for <paramref name="path"/>, replacing the file or creating it at commit, instead of any
    /// write or delete staged for it before. Dispose the stream when done writing; that does not publish anything.
    /// </summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <returns>A write-only stream for the new content. <see cref="Commit"/> flushes and closes it if it is still open.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, names a directory, or lies outside the root (also through a symbolic link).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, the file is read-only, or the directory is not writable.</exception>
    /// <exception cref="IOException">The file is on another filesystem than the root, or the temp file could not be created.</exception>
    /// <exception cref="InvalidOperationException">The transaction was committed or rolled back.</exception>
    public Stream Create(string path) => Stage(path, buffered: true);

    /// <summary>Stages <paramref name="bytes"/> as the new content of <paramref name="path"/>.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="bytes">The new content.</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    public void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = Stage(path, buffered: false);
        stream.Write(bytes);
    }

    /// <summary>Stages <paramref name="contents"/>, in UTF-8 without a byte order mark, as the new content of <paramref name="path"/>.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="contents">The new text; <see langword="null"/> stages an empty file.</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    public void WriteAllText(string path, string? contents) => WriteAllText(path, contents, AtomicFile.s_utf8NoBom);

    /// <summary>Stages <paramref name="contents"/>, in <paramref name="encoding"/> with its preamble, as the new content of <paramref name="path"/>.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="contents">The new text; <see langword="null"/> stages only the encoding's preamble.</param>
    /// <param name="encoding">The encoding to write.</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    public void WriteAllText(string path, string? contents, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        using var stream = Stage(path, buffered: false);
        stream.Write(encoding.Preamble);
        stream.Write(encoding.GetBytes(contents ?? string.Empty));
    }

    /// <summary>Stages <paramref name="bytes"/> as the new content of <paramref name="path"/>, without blocking the calling thread on the write.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="cancellationToken">Cancels the write; a cancelled write poisons the transaction, as any failed staged write does (see the remarks on <see cref="AtomicFileTransaction"/>).</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stream = Stage(path, buffered: false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stages <paramref name="contents"/>, in UTF-8 without a byte order mark, as the new content of <paramref name="path"/>, without blocking the calling thread on the write.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="contents">The new text; <see langword="null"/> stages an empty file.</param>
    /// <param name="cancellationToken">Cancels the write; a cancelled write poisons the transaction, as any failed staged write does (see the remarks on <see cref="AtomicFileTransaction"/>).</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task WriteAllTextAsync(string path, string? contents, CancellationToken cancellationToken = default) =>
        WriteAllTextAsync(path, contents, AtomicFile.s_utf8NoBom, cancellationToken);

    /// <summary>Stages <paramref name="contents"/>, in <paramref name="encoding"/> with its preamble, as the new content of <paramref name="path"/>, without blocking the calling thread on the write.</summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root.</param>
    /// <param name="contents">The new text; <see langword="null"/> stages only the encoding's preamble.</param>
    /// <param name="encoding">The encoding to write.</param>
    /// <param name="cancellationToken">Cancels the write; a cancelled write poisons the transaction, as any failed staged write does (see the remarks on <see cref="AtomicFileTransaction"/>).</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task WriteAllTextAsync(string path, string? contents, Encoding encoding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        byte[] bytes = [.. encoding.Preamble, .. encoding.GetBytes(contents ?? string.Empty)];
        return WriteAllBytesAsync(path, bytes, cancellationToken);
    }

    /// <summary>
    /// Deletes <paramref name="path"/> at commit, instead of any write staged for it before. A file that does not exist
    /// then is not an error, as with <see cref="File.Delete"/>.
    /// </summary>
    /// <param name="path">The file, inside the root; a relative path is taken relative to the root. A symbolic link is deleted itself, not its target.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or lies outside the root (also through a symbolic link).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory.</exception>
    /// <exception cref="IOException">The file is on another filesystem than the root.</exception>
    /// <exception cref="InvalidOperationException">The transaction was committed or rolled back.</exception>
    public void Delete(string path)
    {
        ThrowIfNotOpen();
        var (directory, fileName, relative) = _root.ResolveDelete(path);

        // Journaled at the commit point, with the final operations: a delete creates no temp that recovery must know of.
        Supersede(relative);
        _deletes.Add((directory, fileName, relative));
        Step($"prepare delete {relative}");
    }

    /// <summary>
    /// Makes every staged change take effect together: flushes the staged files to stable storage, writes and flushes
    /// the journal (the commit point), then renames and deletes, and flushes the directories, as
    /// <see cref="AtomicFileOptions.Durability"/> asks. Releases the root's lock.
    /// </summary>
    /// <remarks>
    /// A transaction in which a staged write threw is never committed, not even in part: rather than unstage that file
    /// and publish the rest — a set of files the caller never asked for together — the whole transaction is rolled back.
    /// The exception names the file, with the write's failure as <see cref="Exception.InnerException"/>.
    /// </remarks>
    /// <exception cref="IOException">
    /// Before the commit point: the transaction is rolled back and every file is unchanged — also when an earlier
    /// staged write failed. After it (<see cref="IsCommitted"/> is true): applying failed part-way; the journal is kept,
    /// and the next <see cref="AtomicFile.BeginTransaction"/> in this root (or recovery) completes the transaction.
    /// </exception>
    /// <exception cref="DurabilityNotConfirmedException">Every change is in place, but flushing a directory failed.</exception>
    /// <exception cref="InvalidOperationException">The transaction was already committed or rolled back.</exception>
    public void Commit() => CommitCore(CancellationToken.None);

    /// <summary>Commits as <see cref="Commit"/> does, without blocking the calling thread on the flushes.</summary>
    /// <param name="cancellationToken">Honoured until the commit point; a cancelled commit is rolled back and changes nothing.</param>
    /// <inheritdoc cref="Commit" path="/exception"/>
    /// <exception cref="OperationCanceledException">Cancelled before the commit point; the transaction is rolled back.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        try
        {
            // fsync blocks for milliseconds per file; keep it off the caller's thread.
            await Task.Run(() => CommitCore(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_state == State.Open)
        {
            RollBack();
            throw;
        }
    }

    /// <summary>Rolls back unless committed: staged temps and the journal are removed, every file stays as it was. Never commits.</summary>
    public void Dispose()
    {
        if (_state is State.Open or State.Committing)
        {
            RollBack();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>As <see cref="Begin"/>, waiting for the lock without blocking a thread.</summary>
    internal static async Task<AtomicFileTransaction> BeginAsync(string rootDirectory, AtomicFileOptions options, CancellationToken cancellationToken)
    {
        var root = TransactionRoot.Open(rootDirectory);
        FileLock? rootLock = null;
        try
        {
            TransactionRecovery.ThrowIfJournalUntrusted(root, options);
            rootLock = await FileLock.AcquireAsync(root.Directory, TransactionRoot.LockFileName, root.FullPath, FileLock.DefaultCreateMode, options.LockTimeout, options.TimeProvider, cancellationToken, options.Mutation).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            // Recovery renames and flushes: off the caller's thread.
            await Task.Run(() => TransactionRecovery.RecoverLocked(root, options), cancellationToken).ConfigureAwait(false);
            return new AtomicFileTransaction(root, rootLock, options);
        }
        catch
        {
            rootLock?.Dispose();
            root.Dispose();
            throw;
        }
    }

    /// <summary>Takes the root's lock, then completes or rolls back any transaction a crash interrupted there.</summary>
    internal static AtomicFileTransaction Begin(string rootDirectory, AtomicFileOptions options)
    {
        var root = TransactionRoot.Open(rootDirectory);
        FileLock? rootLock = null;
        try
        {
            TransactionRecovery.ThrowIfJournalUntrusted(root, options);
            rootLock = FileLock.Acquire(root.Directory, TransactionRoot.LockFileName, root.FullPath, FileLock.DefaultCreateMode, options.LockTimeout, options.TimeProvider, CancellationToken.None, options.Mutation);
            TransactionRecovery.RecoverLocked(root, options);
            return new AtomicFileTransaction(root, rootLock, options);
        }
        catch
        {
            rootLock?.Dispose();
            root.Dispose();
            throw;
        }
    }

    /// <param name="path">The file to stage.</param>
    /// <param name="buffered">Whether the caller writes in small pieces (a stream handed out) or all at once.</param>
    private Stream Stage(string path, bool buffered)
    {
        ThrowIfNotOpen();
        var (target, relative) = _root.ResolveWrite(path, _options);
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
        Step($"stage {relative}");
        return stream;
    }

    private JournalWriter? Journal()
    {
        if (_journal is null && (_options.Mutation & CommitMutation.SkipTransactionJournal) == 0)
        {
            _journal = JournalWriter.Create(_root.JournalPath);
            Step("journal create");
        }

        return _journal;
    }

    private void CommitCore(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _state = State.Committing;
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (FailedWrite() is { } failed)
            {
                throw new IOException(
                    $"An earlier write to '{failed.Target.FullPath}' failed, so the transaction in '{_root.FullPath}' was rolled back and nothing was published.",
                    failed.WriteFailure);
            }

            foreach (var replace in _replaces)
            {
                replace.Stream.Dispose();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var renameFirst = (_options.Mutation & CommitMutation.RenameBeforeFileFlush) != 0;
            if (!renameFirst)
            {
                FlushStagedFiles();
            }

            ThrowIfAnyTempVanished();
            cancellationToken.ThrowIfCancellationRequested();
            WriteCommitPoint();
            IsCommitted = true;

            Apply();
            if (renameFirst)
            {
                CommitMutationWindow.AfterRenameBeforeFlush();
                FlushStagedFiles();
            }

            foreach (var replace in _replaces)
            {
                replace.File.Dispose();
            }

            FlushTouchedDirectories();
            RemoveJournal();
            ReleaseReplacedFiles();
            _state = State.Committed;
            if (_options.Logger is { } logger && logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Log.TransactionCommitted(logger, _root.FullPath, _replaces.Count, _deletes.Count, milliseconds);
            }
        }
        catch (Exception) when (!IsCommitted)
        {
            RollBack();
            throw;
        }
        catch (Exception e) when (e is not DurabilityNotConfirmedException)
        {
            Abandon();
            throw new IOException(
                $"The transaction in '{_root.FullPath}' reached its commit point, but applying it failed: {e.Message} "
                + "Its journal is kept; the next transaction in this root, or AtomicFile.Recover, completes it.", e);
        }
        finally
        {
            // Left open only when the commit failed part-way: freeing them is no longer on anyone's critical path.
            foreach (var replaced in _replacedFiles)
            {
                replaced.Dispose();
            }

            if (_state != State.RolledBack)
            {
                ReleaseRoot();
            }
        }
    }

    /// <summary>fsyncs every staged file at once: concurrent flushes let the filesystem batch them into few journal commits.</summary>
    private void FlushStagedFiles()
    {
        if (_replaces.Count == 0 || _options.Durability == Durability.None || (_options.Mutation & CommitMutation.SkipFileFlush) != 0)
        {
            return;
        }

        IoThreads.ForEach(_replaces, FlushStaged);
    }

    private void FlushStaged(StagedReplace replace)
    {
        replace.File.FlushToDisk();
        Step($"fsync {replace.Relative}");
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

        foreach (var (_, _, relative) in _deletes)
        {
            journal.AppendDelete(relative);
        }

        journal.Seal();
        Step("journal write");
        if (_options.Durability != Durability.None)
        {
            journal.FlushToDisk();
            Step("journal fsync");
        }

        if (FlushesDirectories)
        {
            _platform.FlushDirectory(_root.FullPath);
            Step("journal directory fsync");
        }
    }

    private void Apply()
    {
        foreach (var replace in _replaces)
        {
            if (replace.File.Target.Existing is { Kind: FileKind.RegularFile })
            {
                HoldReplacedFile(replace.File.Target.Directory, replace.File.Target.FileName);
            }

            replace.File.Publish(overwrite: true);
            Step($"rename {replace.Relative}");
        }

        foreach (var (directory, fileName, relative) in _deletes)
        {
            HoldReplacedFile(directory, fileName);
            _platform.DeleteFile(directory, fileName);
            Step($"delete {relative}");
        }
    }

    /// <summary>
    /// Keeps the file a rename or delete is about to drop open, so that its inode is freed at the close, not inside the
    /// rename. On ext4 freeing a small file's inode took ≈ 2 ms under load, one after another: 100 replaced files made
    /// the renames the longest step of a 100-file commit (≈ 200 ms of ≈ 300). Closed all at once at the end
    /// (<see cref="ReleaseReplacedFiles"/>), the frees overlap: 30–80 ms for the 100 in the C floor.
    /// </summary>
    private void HoldReplacedFile(DirectoryHandle directory, string fileName)
    {
        if (_replacedFiles.Count < MaxHeldReplacedFiles && _platform.KeepReplacedFileOpen(directory, fileName) is { } handle)
        {
            _replacedFiles.Add(handle);
        }
    }

    /// <summary>Closes the replaced and deleted files, all at once: each close frees an inode, and those frees overlap.</summary>
    private void ReleaseReplacedFiles()
    {
        IoThreads.ForEach(_replacedFiles, handle => handle.Dispose());
        _replacedFiles.Clear();
    }

    private void FlushTouchedDirectories()
    {
        if (!FlushesDirectories)
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
                _platform.FlushDirectory(Path.Join(_root.FullPath, directory));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (directories)
                {
                    failure ??= (e, Path.Join(_root.FullPath, firstFile));
                }

                return;
            }

            Step($"directory fsync {(directory.Length == 0 ? "." : directory)}");
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
        Step("journal remove");

        // Else a power cut could bring the journal back, and its deletes would be redone over files written since.
        if (FlushesDirectories)
        {
            FlushAppliedDirectory(_root.FullPath, _root.FullPath);
            Step("root directory fsync");
        }
    }

    /// <summary>Flushes a directory after every change is in place: a failure no longer means "unchanged", only "durability unknown".</summary>
    private void FlushAppliedDirectory(string directory, string pathForError)
    {
        try
        {
            _platform.FlushDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DurabilityNotConfirmed(e, pathForError);
        }
    }

    private DurabilityNotConfirmedException DurabilityNotConfirmed(Exception error, string pathForError)
    {
        _journal?.Dispose();
        _state = State.Committed;
        if (_options.Logger is { } logger)
        {
            Log.DirectoryFlushFailed(logger, error, pathForError);
        }

        return new DurabilityNotConfirmedException(pathForError, error);
    }

    private bool FlushesDirectories => _options.Durability == Durability.Full && (_options.Mutation & CommitMutation.SkipDirectoryFlush) == 0;

    /// <summary>
    /// Unseals the journal if needed, removes the temps, and the journal last: a crash at any point in between leaves
    /// an unsealed journal that still names what is left to remove.
    /// </summary>
    private void RollBack()
    {
        _state = State.RolledBack;
        try
        {
            if (_journal is { IsSealed: true } sealedJournal && (_options.Mutation & CommitMutation.RollbackKeepsSeal) == 0)
            {
                sealedJournal.Unseal();
                Step("rollback unseal");
            }

            foreach (var replace in _replaces)
            {
                CloseForRollback(replace.Stream);
                replace.File.Dispose();
                Step($"rollback remove {replace.Relative}");
            }

            if (_journal is { } journal)
            {
                journal.Dispose();
                _platform.DeleteFile(journal.Path);
                Step("rollback journal remove");
            }

            if (_options.Logger is { } logger)
            {
                Log.TransactionRolledBack(logger, _root.FullPath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Rollback runs on error paths: never hide the original exception. The journal left behind is rolled back by recovery.
            if (_options.Logger is { } logger)
            {
                Log.TempCleanupFailed(logger, e, _root.JournalPath);
            }
        }
        finally
        {
            ReleaseRoot();
        }
    }

    /// <summary>Lets go of the root: its lock, and every directory this transaction held open.</summary>
    private void ReleaseRoot()
    {
        foreach (var (directory, _, _) in _deletes)
        {
            directory.Dispose();
        }

        _lock.Dispose();
        _root.Dispose();
    }

    /// <summary>After the commit point: close everything but delete nothing, so recovery can complete the transaction.</summary>
    private void Abandon()
    {
        _state = State.Failed;
        foreach (var replace in _replaces)
        {
            replace.File.CloseForRecovery();
        }

        _journal?.Dispose();
    }

    private void Step(string name) => _options.TransactionStepHook?.Invoke(name);

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
            if ((_options.Mutation & CommitMutation.SupersedeKeepsTemp) == 0)
            {
                superseded.File.Dispose();
            }
            else
            {
                superseded.File.CloseForRecovery();
            }

            Step($"supersede {relative}");
        }

        var delete = _deletes.FindIndex(d => TransactionRoot.PathComparer.Equals(d.Relative, relative));
        if (delete >= 0)
        {
            _deletes[delete].Directory.Dispose();
            _deletes.RemoveAt(delete);
            Step($"supersede {relative}");
        }
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

    /// <summary>The first staged file whose write threw: its content is unknown, so the transaction must not commit.</summary>
    private StagedFile? FailedWrite() => _replaces.Select(r => r.File).FirstOrDefault(f => f.WriteFailure is not null);

    /// <summary>Staging more into a transaction that can no longer commit would only hide its failure for longer.</summary>
    private void ThrowIfNotOpen()
    {
        ThrowIfFinished();
        if (FailedWrite() is { } failed)
        {
            throw new InvalidOperationException(
                $"An earlier write to '{failed.Target.FullPath}' failed, so the transaction in '{_root.FullPath}' can no longer commit; dispose it and begin a new one.",
                failed.WriteFailure);
        }
    }

    private void ThrowIfFinished()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException(_state == State.RolledBack
                ? $"The transaction in '{_root.FullPath}' was rolled back; begin a new one."
                : $"The transaction in '{_root.FullPath}' was already committed; begin a new one.");
        }
    }

    /// <param name="File">The temp beside its target.</param>
    /// <param name="Stream">What the caller writes to: disposed at commit so buffered bytes reach the temp.</param>
    /// <param name="Content">The stream under <paramref name="Stream"/> that writes the temp and hashes what it writes.</param>
    /// <param name="Relative">The target's path relative to the root, as the journal records it.</param>
    private sealed record StagedReplace(StagedFile File, Stream Stream, StagedContentStream Content, string Relative);
}
