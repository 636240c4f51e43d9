using System.Runtime.InteropServices;
using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using AtomicFiles.Transactions;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Recovery;

/// <summary>
/// Reads a transaction journal and judges whether this user could have written it — the only kind recovery acts on.
/// </summary>
/// <remarks>
/// <para>
/// On Unix a journal is trusted only if it is a regular file with one link, owned by the effective user, not writable by
/// its group or by others, and at most <see cref="JournalFormat.MaxLength"/> bytes. Those are exactly the journals
/// only this user (or root, who is not asked) could have put there: another user's journal — planted in a shared
/// sticky directory, say — would otherwise have us delete and replace our own files at its word; a hard link of one of
/// ours placed elsewhere would pose as a journal of that directory; a group-writable one could have been rewritten.
/// Root trusts only root's journals too: acting on a user's journal with root's powers would do that user's bidding.
/// </para>
/// <para>
/// It is opened without following a link and without blocking (a FIFO answers at once), checked through the open
/// descriptor (what is checked is what is read), and read through it.
/// </para>
/// <para>
/// Windows: a plain read, size-capped. The threat is Unix multi-user directories (sticky /tmp-like ones, group-shared
/// ones); on Windows a directory's ACL decides who may create the journal, and there is no FIFO to hang on.
/// </para>
/// </remarks>
internal static class JournalReader
{
    private const uint GroupOrOthersWrite = (uint)(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

    /// <summary>Reads and judges the journal at <paramref name="path"/>. Never blocks, and never throws for what is found there.</summary>
    internal static JournalFile Read(string path) =>
        OperatingSystem.IsWindows() ? ReadWindows(path) : ReadUnix(path);

    private static JournalFile ReadUnix(string path)
    {
        using var handle = Sys.Open(path, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC, 0);
        if (handle.IsInvalid)
        {
            var errno = UnixErrors.LastErrno;
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
            {
                return new JournalFile(path, JournalTrust.Absent, null, null);
            }

            return Untrusted(path, null, errno == Errno.ELOOP
                ? "is a symbolic link"
                : $"cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        UnixFileStatus status;
        try
        {
            status = UnixFileStatus.Get(handle, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Untrusted(path, null, $"cannot be examined: {e.Message}");
        }

        if (status.Kind != FileKind.RegularFile)
        {
            return Untrusted(path, null, "is not a regular file");
        }

        // Removed since we opened it: a live transaction of ours finished in the meantime. Nothing is there now.
        if (status.LinkCount == 0)
        {
            return new JournalFile(path, JournalTrust.Absent, null, null);
        }

        var bytes = ReadCapped(handle, out var readProblem);
        var euid = Sys.GetEUid();
        var because = readProblem
            ?? (status.LinkCount != 1 ? $"has {status.LinkCount} hard links"
            : status.Uid != euid ? $"is owned by uid {status.Uid}, not by this user (uid {euid})"
            : (status.Permissions & GroupOrOthersWrite) != 0 ? $"is writable by its group or by others (mode {Convert.ToString(status.Permissions, 8)})"
            : null);
        return because is null ? new JournalFile(path, JournalTrust.Trusted, bytes, null) : Untrusted(path, bytes, because);
    }

    private static JournalFile ReadWindows(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = ReadCapped(handle, out var problem);
            return problem is null ? new JournalFile(path, JournalTrust.Trusted, bytes, null) : Untrusted(path, null, problem);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new JournalFile(path, JournalTrust.Absent, null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Untrusted(path, null, $"cannot be read: {e.Message}");
        }
    }

    /// <summary>Reads at most one byte past the cap, so a larger file is recognized without being read whole.</summary>
    private static byte[]? ReadCapped(SafeFileHandle handle, out string? problem)
    {
        problem = null;
        try
        {
            using var content = new MemoryStream();
            var buffer = new byte[64 * 1024];
            long offset = 0;
            while (offset <= JournalFormat.MaxLength)
            {
                var read = RandomAccess.Read(handle, buffer, offset);
                if (read == 0)
                {
                    return content.ToArray();
                }

                content.Write(buffer, 0, read);
                offset += read;
            }

            problem = $"is larger than {JournalFormat.MaxLength / (1024 * 1024)} MiB, more than any journal this library writes";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read: {e.Message}";
            return null;
        }
    }

    private static JournalFile Untrusted(string path, byte[]? bytes, string because) => new(path, JournalTrust.Untrusted, bytes, because);
}
