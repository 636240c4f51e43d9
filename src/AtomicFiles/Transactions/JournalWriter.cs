using System.Security.Cryptography;
using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Transactions;

/// <summary>
/// Appends a transaction's journal as it is built, and seals it at the commit point. Appends are not flushed one by
/// one: until the seal they only tell recovery what to remove, and the one flush after the seal makes it all durable.
/// </summary>
/// <remarks>
/// On Unix the journal is created owner-only (0600), exclusively and without following a link: recovery trusts a
/// journal only if nobody but its owner could have written it (see <see cref="Recovery.JournalReader"/>). It never
/// grows past <see cref="JournalFormat.MaxLength"/>, the most recovery reads, and records no name the parser would
/// reject: a committed journal recovery could not read back would be rolled back half applied.
/// </remarks>
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


    /// <summary>Creates the journal at <paramref name="path"/>; fails if anything is there (recovery removes any earlier journal first).</summary>
    /// <exception cref="IOException">Something exists at <paramref name="path"/>, or creating it failed.</exception>
    internal static JournalWriter Create(string path)
    {
        var handle = OperatingSystem.IsWindows()
            ? File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete)
            : CreateOwnerOnly(path);
        var writer = new JournalWriter(path, handle);
        writer.Append(JournalFormat.Header);
        return writer;
    }

    /// <summary>Records a temp about to be created for <paramref name="target"/>, so that recovery can remove it whatever happens next.</summary>
    /// <exception cref="ArgumentException">A path has a name the journal cannot record (see <see cref="JournalFormat.ThrowIfUnrecordable"/>).</exception>
    /// <exception cref="IOException">The journal would grow past <see cref="JournalFormat.MaxLength"/>.</exception>
    internal void AppendStage(string temp, string target)
    {
        JournalFormat.ThrowIfUnrecordable(target);
        JournalFormat.ThrowIfUnrecordable(temp);
        AppendOperation(JournalFormat.StageLine(temp, target));
    }

    /// <summary>Records, at the commit point, that <paramref name="temp"/> replaces <paramref name="target"/> and holds content of <paramref name="contentHash"/>.</summary>
    /// <inheritdoc cref="AppendStage"/>
    internal void AppendReplace(string temp, string target, string contentHash)
    {
        JournalFormat.ThrowIfUnrecordable(target);
        JournalFormat.ThrowIfUnrecordable(temp);
        AppendOperation(JournalFormat.ReplaceLine(temp, target, contentHash));
    }

    /// <inheritdoc cref="AppendStage"/>
    internal void AppendDelete(string target)
    {
        JournalFormat.ThrowIfUnrecordable(target);
        AppendOperation(JournalFormat.DeleteLine(target));
    }

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

    /// <summary>
    /// Empties a sealed journal recovery decided to roll back, durably if <paramref name="flush"/>, before any of its
    /// temps is removed: an empty journal says "roll back, and sweep the root's tree", so a crash among the removals
    /// can no longer find a seal and take each removed temp for an applied rename.
    /// </summary>
    /// <exception cref="IOException">Opening, truncating or flushing failed; nothing was removed yet.</exception>
    internal static void Empty(string path, bool flush)
    {
        using var handle = OperatingSystem.IsWindows()
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read)
            : OpenNoFollow(path);
        RandomAccess.SetLength(handle, 0);
        if (flush)
        {
            FileSystemPlatform.Current.FlushFile(handle, path);
        }
    }

    private static SafeFileHandle OpenNoFollow(string path) => UnixErrors.CheckIo(
        Sys.Open(path, OpenFlags.O_WRONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC, 0),
        "Opening the transaction journal",
        path);

    private static SafeFileHandle CreateOwnerOnly(string path) => UnixErrors.CheckIo(
        Sys.Open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, (uint)(UnixFileMode.UserRead | UnixFileMode.UserWrite)),
        "Creating the transaction journal",
        path);

    private void AppendOperation(byte[] line)
    {
        // Room is kept for the seal, so a transaction that could stage its files can always commit them.
        if (_length + line.Length > JournalFormat.MaxLength - JournalFormat.CommitLineLength)
        {
            throw new IOException(
                $"The transaction journal '{Path}' would grow past {JournalFormat.MaxLength / (1024 * 1024)} MiB, the most recovery reads; "
                + "split the transaction into smaller ones.");
        }

        Append(line);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_handle, bytes, _length);
        _length += bytes.Length;
        _hash.AppendData(bytes);
    }
}
