using System.Diagnostics;
using System.Text;
using AtomicFiles.Locking;
using AtomicFiles.Logging;
using AtomicFiles.Platform;
using AtomicFiles.Transactions;

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
    private readonly TransactionRoot _root;
    private readonly AtomicFileOptions _options;
    private readonly LockFileLock _lock;
    private readonly TransactionProtocol _protocol;
    private State _state;

    private AtomicFileTransaction(TransactionRoot root, LockFileLock rootLock, AtomicFileOptions options)
    {
        _root = root;
        _lock = rootLock;
        _options = options;
        _protocol = new TransactionProtocol(root, options);
    }

    private enum State
    {
        Open,
        Committing,
        Committed,
        RolledBack,

        /// <summary>Past the commit point, but applying failed part-way: the journal is kept for recovery to complete it.</summary>
        CommittedApplyIncomplete,
    }

    /// <summary>The root directory, as a full path with symbolic links resolved.</summary>
    public string RootDirectory => _root.FullPath;

    /// <summary>
    /// Whether the transaction reached its commit point. True also when <see cref="Commit"/> threw after that point
    /// (<see cref="DurabilityNotConfirmedException"/>, or an <see cref="IOException"/> that recovery will complete).
    /// </summary>
    public bool IsCommitted => _protocol.ReachedCommitPoint;

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
        _protocol.StageDelete(directory, fileName, relative);
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
        LockFileLock? rootLock = null;
        try
        {
            TransactionRecovery.ThrowIfJournalUntrusted(root, options);
            rootLock = await LockFileLock.AcquireAsync(root.Directory, TransactionRoot.LockFileName, root.FullPath, LockFileLock.DefaultCreateMode, options.LockTimeout, options.TimeProvider, cancellationToken, options.Defects).ConfigureAwait(false);
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
        LockFileLock? rootLock = null;
        try
        {
            TransactionRecovery.ThrowIfJournalUntrusted(root, options);
            rootLock = LockFileLock.Acquire(root.Directory, TransactionRoot.LockFileName, root.FullPath, LockFileLock.DefaultCreateMode, options.LockTimeout, options.TimeProvider, CancellationToken.None, options.Defects);
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
        return _protocol.StageWrite(target, relative, buffered);
    }

    private void CommitCore(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        _state = State.Committing;
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (_protocol.FailedWrite() is { } failed)
            {
                throw new IOException(
                    $"An earlier write to '{failed.Target.FullPath}' failed, so the transaction in '{_root.FullPath}' was rolled back and nothing was published.",
                    failed.WriteFailure);
            }

            _protocol.Commit(cancellationToken);
            _state = State.Committed;
            var logger = _options.ResolvedLogger;
            if (logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Log.TransactionCommitted(logger, _root.FullPath, _protocol.ReplaceCount, _protocol.DeleteCount, milliseconds);
            }
        }
        catch (Exception) when (!IsCommitted)
        {
            RollBack();
            throw;
        }
        catch (DurabilityNotConfirmedException)
        {
            // Everything is in place, only its durability is unknown: committed, and the journal left lets recovery flush again.
            _state = State.Committed;
            throw;
        }
        catch (Exception e)
        {
            _state = State.CommittedApplyIncomplete;
            _protocol.Abandon();
            throw new IOException(
                $"The transaction in '{_root.FullPath}' reached its commit point, but applying it failed: {e.Message} "
                + "Its journal is kept; the next transaction in this root, or AtomicFile.Recover, completes it.", e);
        }
        finally
        {
            if (_state != State.RolledBack)
            {
                ReleaseRoot();
            }
        }
    }

    private void RollBack()
    {
        _state = State.RolledBack;
        try
        {
            _protocol.RollBack();
        }
        finally
        {
            ReleaseRoot();
        }
    }

    /// <summary>Lets go of the root: its lock, and every file and directory this transaction held open.</summary>
    private void ReleaseRoot()
    {
        _protocol.Dispose();
        _lock.Dispose();
        _root.Dispose();
    }

    /// <summary>Staging more into a transaction that can no longer commit would only hide its failure for longer.</summary>
    private void ThrowIfNotOpen()
    {
        ThrowIfFinished();
        if (_protocol.FailedWrite() is { } failed)
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
}
