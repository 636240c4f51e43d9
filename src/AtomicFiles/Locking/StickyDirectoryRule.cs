using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using static AtomicFiles.Platform.Interop.Interop;

namespace AtomicFiles.Locking;

/// <summary>
/// Refuses a lock file that another user planted in a shared sticky directory such as /tmp: the kernel's
/// protected_regular rule (fs.protected_regular=1), applied by the library because many machines leave that sysctl at 0.
/// In such a directory anyone may create the lock file before us; locking it would let its owner hold our lock forever,
/// or make us lock a file of theirs.
/// </summary>
internal static class StickyDirectoryRule
{
    private const uint StickyBit = 0x200;    // S_ISVTX, 01000
    private const uint OthersWrite = 0x2;    // S_IWOTH, 0002

    /// <param name="lockPath">The lock file's path, for its directory and for the message.</param>
    /// <param name="lockFile">The status of the lock file as opened (fstat), so the owner checked is the file locked.</param>
    /// <exception cref="UnauthorizedAccessException">The lock file belongs to neither this process's effective user nor the directory's owner, in a sticky world-writable directory.</exception>
    internal static void ThrowIfForeign(string lockPath, UnixFileStatus lockFile)
    {
        var euid = Sys.GetEUid();
        if (lockFile.Uid == euid)
        {
            return;
        }

        var directory = Path.GetDirectoryName(lockPath)!;

        // The trailing separator makes lstat follow a final symbolic link to the directory, which is where the file is.
        var errno = UnixFileStatus.TryGet(Path.TrimEndingDirectorySeparator(directory) + "/", out var status);
        if (errno != 0)
        {
            throw UnixErrors.ToException(errno, "Reading the status of the directory of the lock file", lockPath);
        }

        if (status.Kind == FileKind.Directory && (status.Mode & StickyBit) != 0 && (status.Mode & OthersWrite) != 0 && lockFile.Uid != status.Uid)
        {
            throw new UnauthorizedAccessException(
                $"The lock file '{lockPath}' belongs to another user (uid {lockFile.Uid}) in the shared sticky directory '{directory}'; "
                + $"refusing to lock through it, since its owner could hold the lock forever. Only a lock file owned by uid {euid} or by the directory's owner (uid {status.Uid}) is used there.");
        }
    }
}
