using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>
/// In a sticky world-writable directory such as /tmp anyone may create an entry, so only an entry owned by this process's
/// effective user or by the directory's owner is trusted there: the kernel's protected_symlinks and protected_regular
/// rules, applied by the library itself because many machines leave those sysctls at 0. A symbolic link is followed,
/// and a lock file used, only where this rule allows it.
/// </summary>
internal static class StickyDirectoryRule
{
    private const uint StickyBit = (uint)UnixFileMode.StickyBit;
    private const uint OthersWrite = (uint)UnixFileMode.OtherWrite;

    /// <summary>Whether an entry owned by <paramref name="entryUid"/> may be trusted in the directory of <paramref name="directoryMode"/> owned by <paramref name="directoryUid"/>.</summary>
    internal static bool Allows(uint directoryMode, uint directoryUid, uint entryUid) =>
        (directoryMode & StickyBit) == 0 || (directoryMode & OthersWrite) == 0 || entryUid == directoryUid || entryUid == Sys.GetEUid();

    /// <summary>
    /// Refuses a lock file another user planted in a shared sticky directory: locking it would let its owner hold our lock
    /// forever, or make us lock a file of theirs.
    /// </summary>
    /// <param name="directory">The directory the lock file was opened in.</param>
    /// <param name="lockPath">The lock file's path, for the message.</param>
    /// <param name="lockFile">The status of the lock file as opened (fstat), so the owner checked is the file locked.</param>
    /// <exception cref="UnauthorizedAccessException">The lock file belongs to neither this process's effective user nor the directory's owner, in a sticky world-writable directory.</exception>
    internal static void ThrowIfForeign(DirectoryHandle directory, string lockPath, UnixFileStatus lockFile)
    {
        var euid = Sys.GetEUid();
        if (lockFile.Uid == euid)
        {
            return;
        }

        var status = UnixFileStatus.Get(directory.Handle, directory.Path);
        if (status.Kind == FileKind.Directory && !Allows(status.Mode, status.Uid, lockFile.Uid))
        {
            throw new UnauthorizedAccessException(
                $"The lock file '{lockPath}' belongs to another user (uid {lockFile.Uid}) in the shared sticky directory '{directory.Path}'; "
                + $"refusing to lock through it, since its owner could hold the lock forever. Only a lock file owned by uid {euid} or by the directory's owner (uid {status.Uid}) is used there.");
        }
    }
}
