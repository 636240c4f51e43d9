using System.Security.Cryptography;
using AtomicFiles.Platform;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Transactions;

/// <summary>
/// Appends a transaction's journal as it is built, and seals it at the commit point. Appends are not flushed one by
/// one: until the seal they only tell recovery what to remove, and the one flush after the seal makes it all durable.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;
    private long _unsealedLength = -1;

    private JournalWriter(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    internal string Path { get; }

    /// <summary>Creates the journal at <paramref name="path"/>; fails if one is there (recovery removes any earlier one first).</summary>
    internal static JournalWriter Create(string path)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var writer = new JournalWriter(path, handle);
        writer.Append(JournalFormat.Header);
        return writer;
    }

    internal void AppendReplace(string temp, string target) => Append(JournalFormat.ReplaceLine(temp, target));

    internal void AppendDelete(string target) => Append(JournalFormat.DeleteLine(target));

    /// <summary>Whether the seal has been written (not necessarily flushed).</summary>
    internal bool IsSealed => _unsealedLength >= 0;

    /// <summary>Writes the seal: once it is on disk, the transaction is committed.</summary>
    internal void Seal()
    {
        Span<byte> seal = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetCurrentHash(seal);
        _unsealedLength = _length;
        Append(JournalFormat.CommitLine(seal));
    }

    /// <summary>
    /// Cuts the seal off again, for a rollback after the seal was written but its flush failed. Rolling back removes
    /// the temps one by one; a crash among them must find a journal that says "roll back", not "redo" — redo would
    /// take each removed temp for an applied rename.
    /// </summary>
    internal void Unseal()
    {
        RandomAccess.SetLength(_handle, _unsealedLength);
        _length = _unsealedLength;
        _unsealedLength = -1;

        // Best effort: the flush that failed before may fail again, and a rollback must not throw over the original error.
        try
        {
            FlushToDisk();
        }
        catch (IOException)
        {
        }
    }

    internal void FlushToDisk() => FileSystemPlatform.Current.FlushFile(_handle, Path);

    public void Dispose()
    {
        _handle.Dispose();
        _hash.Dispose();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_handle, bytes, _length);
        _length += bytes.Length;
        _hash.AppendData(bytes);
    }
}
