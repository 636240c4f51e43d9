using System.Buffers;
using System.Runtime.CompilerServices;
using AtomicFiles.Commit;
using AtomicFiles.Logging;

namespace AtomicFiles;

/// <summary>
/// A write-only stream whose content replaces (or creates) a file only when <see cref="Commit"/> returns.
/// Disposing it without a commit — an exception, an early return, a cancellation — rolls back: the temp file is
/// removed and the target stays exactly as it was.
/// </summary>
/// <remarks>
/// <para>Obtain one from <see cref="AtomicFile.Create"/> or <see cref="AtomicFile.CreateNew"/>. It is not seekable, and,
/// like <see cref="FileStream"/>, not safe for concurrent use by several threads.</para>
/// <para>After <see cref="Commit"/> — whether it returned or threw — the stream is closed: writing throws
/// <see cref="ObjectDisposedException"/>, and a second <see cref="Commit"/> throws <see cref="InvalidOperationException"/>.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "The name says what it is for; that it is a Stream shows in its type.")]
public sealed class AtomicFileWriter : Stream
{
    private readonly StagedFile _staged;
    private readonly bool _overwrite;
    private readonly AtomicFileOptions _options;
    private byte[]? _buffer;
    private int _buffered;
    private long _fileOffset;
    private bool _commitStarted;
    private bool _disposed;

    internal AtomicFileWriter(StagedFile staged, bool overwrite, AtomicFileOptions options)
    {
        _staged = staged;
        _overwrite = overwrite;
        _options = options;
    }

    /// <summary>The absolute path the content is published at: for a followed symbolic link, the link's final target.</summary>
    public string Path => _staged.Target.FullPath;

    /// <summary>Whether the new content has replaced the target.</summary>
    /// <remarks>True also when <see cref="Commit"/> threw <see cref="DurabilityNotConfirmedException"/>: the content is in place, its durability is not confirmed.</remarks>
    public bool IsCommitted { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !_disposed && !_commitStarted;

    /// <summary>Not supported: the stream is not seekable.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Length => throw new NotSupportedException("An AtomicFileWriter is not seekable.");

    /// <summary>The number of bytes written so far. Setting it is not supported.</summary>
    /// <exception cref="NotSupportedException">On set.</exception>
    public override long Position
    {
        get => _fileOffset + _buffered;
        set => throw new NotSupportedException("An AtomicFileWriter is not seekable.");
    }

    /// <summary>
    /// Publishes everything written: flushes it to stable storage, atomically renames it over the target and flushes
    /// the directory, as <see cref="AtomicFileOptions.Durability"/> asks. When it returns, the new content is in place
    /// and — with <see cref="Durability.Full"/> — survives a power cut.
    /// </summary>
    /// <exception cref="IOException">The commit failed and the target is unchanged (for <see cref="AtomicFile.CreateNew"/>: a file already exists).</exception>
    /// <exception cref="DurabilityNotConfirmedException">The content is in place, but flushing the directory failed.</exception>
    /// <exception cref="InvalidOperationException">Commit was already called.</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed (rolled back) before the commit.</exception>
    public void Commit() => CommitCore(CancellationToken.None);

    /// <summary>Publishes everything written, as <see cref="Commit"/> does, without blocking the calling thread on the flushes.</summary>
    /// <param name="cancellationToken">Honoured until the rename; a cancelled commit is rolled back and leaves the target unchanged.</param>
    /// <inheritdoc cref="Commit" path="/exception"/>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the target is unchanged.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        StartCommit();
        try
        {
            // fsync blocks for milliseconds; keep it off the caller's thread (a UI or request thread). The buffered
            // tail is written in the same work item: the temp handle is synchronous, so writing it with
            // RandomAccess.WriteAsync would cost a thread-pool hop of its own before this one.
            await Task.Run(
                () =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    FlushBuffer();
                    PublishStaged(cancellationToken);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            OnCommitFailed(e);
            throw;
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        if (buffer.Length >= _options.BufferSize)
        {
            // Large writes go straight to the file: no copy through our buffer.
            FlushBuffer();
            WriteToFile(buffer);
            return;
        }

        var pending = RentBuffer();
        if (_buffered + buffer.Length > pending.Length)
        {
            FlushBuffer();
        }

        buffer.CopyTo(pending.AsSpan(_buffered));
        _buffered += buffer.Length;
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    // Pooled state machines: each write that goes to the thread pool would otherwise allocate one (~140 bytes), which
    // added up to 2.3 MB for 1 GiB in 64 KiB writes.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        cancellationToken.ThrowIfCancellationRequested();
        if (buffer.Length >= _options.BufferSize)
        {
            await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
            await RandomAccess.WriteAsync(_staged.Handle, buffer, _fileOffset, cancellationToken).ConfigureAwait(false);
            _fileOffset += buffer.Length;
            return;
        }

        var pending = RentBuffer();
        if (_buffered + buffer.Length > pending.Length)
        {
            await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        buffer.Span.CopyTo(pending.AsSpan(_buffered));
        _buffered += buffer.Length;
    }

    /// <summary>Writes buffered bytes to the temp file. This makes nothing visible or durable; only <see cref="Commit"/> does.</summary>
    public override void Flush()
    {
        if (!_disposed && !_commitStarted)
        {
            FlushBuffer();
        }
    }

    /// <inheritdoc cref="Flush"/>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _disposed || _commitStarted ? Task.CompletedTask : FlushBufferAsync(cancellationToken).AsTask();

    /// <summary>Not supported: the stream is write-only.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An AtomicFileWriter is write-only.");

    /// <summary>Not supported: the stream is not seekable.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("An AtomicFileWriter is not seekable.");

    /// <summary>Not supported: the stream is not seekable.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void SetLength(long value) => throw new NotSupportedException("An AtomicFileWriter is not seekable.");

    /// <summary>Rolls back unless committed: the temp file is removed and the target left untouched. Never commits.</summary>
    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            if (disposing)
            {
                _staged.Dispose();
                ReturnBuffer();
            }
        }

        base.Dispose(disposing);
    }

    private void CommitCore(CancellationToken cancellationToken)
    {
        StartCommit();
        try
        {
            FlushBuffer();
            PublishStaged(cancellationToken);
        }
        catch (Exception e)
        {
            OnCommitFailed(e);
            throw;
        }
    }

    private void StartCommit()
    {
        if (_commitStarted)
        {
            throw new InvalidOperationException($"Commit was already called for '{Path}'; a writer commits once.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        _commitStarted = true;
    }

    private void PublishStaged(CancellationToken cancellationToken)
    {
        try
        {
            _staged.Commit(_overwrite, _fileOffset, cancellationToken);
            IsCommitted = true;
        }
        catch (DurabilityNotConfirmedException)
        {
            IsCommitted = true;
            throw;
        }
        finally
        {
            Dispose();
        }
    }

    private void OnCommitFailed(Exception exception)
    {
        Dispose();
        if (!IsCommitted && exception is not OperationCanceledException && _options.Logger is { } logger)
        {
            Log.CommitFailed(logger, exception, Path);
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed || _commitStarted, this);
    }

    private byte[] RentBuffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(_options.BufferSize);

    private void ReturnBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void FlushBuffer()
    {
        if (_buffered > 0)
        {
            WriteToFile(_buffer.AsSpan(0, _buffered));
            _buffered = 0;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0)
        {
            await RandomAccess.WriteAsync(_staged.Handle, _buffer.AsMemory(0, _buffered), _fileOffset, cancellationToken).ConfigureAwait(false);
            _fileOffset += _buffered;
            _buffered = 0;
        }
    }

    private void WriteToFile(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_staged.Handle, bytes, _fileOffset);
        _fileOffset += bytes.Length;
    }
}
