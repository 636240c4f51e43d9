using System.IO.Hashing;
using AtomicFiles.Commit;

namespace AtomicFiles.Transactions;

/// <summary>
/// Writes a transaction's staged file. Disposing it only ends the writing: the temp stays open and locked until the
/// transaction commits or rolls back, so no sweep can mistake it for an orphan. Hashes the content as it is written
/// (<see cref="ContentHash"/>), for the journal: the commit never reads a staged file back.
/// </summary>
/// <remarks>
/// A write that throws marks the staged file as failed (<see cref="StagedFile.WriteFailure"/>), a cancellation
/// included: the temp may hold part of it. The transaction then refuses to commit, and this stream to write more.
/// </remarks>
internal sealed class StagedContentStream : Stream
{
    private readonly StagedFile _staged;
    private readonly XxHash128 _hash = new();
    private long _position;
    private bool _closed;

    internal StagedContentStream(StagedFile staged) => _staged = staged;

    /// <summary>How many bytes were written so far.</summary>
    internal long BytesWritten => _position;

    /// <summary>The <see cref="ContentHash"/> of everything written so far.</summary>
    internal string ContentHashHex => ContentHash.ToHex(_hash);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => throw new NotSupportedException("A staged transaction file is not seekable.");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A staged transaction file is not seekable.");
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        try
        {
            RandomAccess.Write(_staged.Handle, buffer, _position);
        }
        catch (Exception e)
        {
            _staged.MarkWriteFailed(e);
            throw;
        }

        _hash.Append(buffer);
        _position += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        try
        {
            await RandomAccess.WriteAsync(_staged.Handle, buffer, _position, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _staged.MarkWriteFailed(e);
            throw;
        }

        _hash.Append(buffer.Span);
        _position += buffer.Length;
    }

    public override void Flush()
    {
        // Every write already went to the file; durability is the commit's job.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A staged transaction file is write-only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A staged transaction file is not seekable.");

    public override void SetLength(long value) => throw new NotSupportedException("A staged transaction file is not seekable.");

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_staged.WriteFailure is { } failure)
        {
            throw new IOException($"An earlier write to '{_staged.Target.FullPath}' failed; the transaction can no longer commit.", failure);
        }
    }
}
