using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Locking;

/// <summary>
/// The Unix lock: flock(LOCK_EX|LOCK_NB) taken by the library itself on a lock file it opens itself. Not .NET's
/// <see cref="FileShare.None"/> lock, which DOTNET_SYSTEM_IO_DISABLEFILELOCKING (or the System.IO.DisableFileLocking
/// switch) turns off and which proceeds unlocked when flock fails with anything but EWOULDBLOCK: here every failure to
/// lock is an exception, and no setting turns the lock off.
/// </summary>
/// <remarks>
/// The lock file is opened read-only, which is all flock needs on a local filesystem: whoever may update the data file
/// may lock, even where the lock file is read-only to them. It is never followed through a symbolic link and never
/// opened as a FIFO or device (O_NONBLOCK keeps a FIFO from blocking the open; the fstat check refuses it).
/// </remarks>
internal static class UnixLockFile
{
    /// <summary>Takes the lock if it is free; <see langword="null"/> if another holder has it.</summary>
    /// <param name="directory">The lock file's directory.</param>
    /// <param name="name">The lock file's name there, created if missing.</param>
    /// <param name="createMode">The permissions a new lock file gets, before the umask.</param>
    /// <exception cref="IOException">The lock file is not a regular file, or flock failed other than by a conflict.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file cannot be opened, or another user planted it in a sticky shared directory.</exception>
    internal static SafeFileHandle? TryAcquire(DirectoryHandle directory, string name, UnixFileMode createMode)
    {
        var lockPath = directory.Join(name);

        // Refuse what is visibly not a lock file before opening it: opening a device can have effects of its own.
        if (UnixFileStatus.TryGet(directory, name, out var existing) == 0 && existing.Kind != FileKind.RegularFile)
        {
            throw NotARegularFile(lockPath, existing);
        }

        var handle = Open(directory, name, OpenFlags.O_RDONLY | OpenFlags.O_CREAT, (uint)createMode);
        try
        {
            CheckLockable(handle, directory, lockPath);
            var locked = Sys.Flock(handle, Sys.LOCK_EX | Sys.LOCK_NB);
            if (locked != 0 && UnixErrors.LastErrno == Errno.EBADF)
            {
                // On NFS, Linux emulates flock with POSIX locks, where an exclusive lock needs a descriptor open for writing.
                handle.Dispose();
                handle = ReopenForWriting(directory, name);
                CheckLockable(handle, directory, lockPath);
                locked = Sys.Flock(handle, Sys.LOCK_EX | Sys.LOCK_NB);
            }

            if (locked != 0 && UnixErrors.LastErrno == Errno.EWOULDBLOCK)
            {
                handle.Dispose();
                return null;
            }

            UnixErrors.CheckIo(locked, "Locking (flock LOCK_EX) the lock file", lockPath);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle Open(DirectoryHandle directory, string name, int access, uint mode)
    {
        var lockPath = directory.Join(name);
        var flags = access | OpenFlags.O_NOFOLLOW | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC;
        var handle = Sys.OpenAt(directory.Handle, name, flags, mode);
        if (handle.IsInvalid && UnixErrors.LastErrno is var errno && errno == Errno.ELOOP)
        {
            throw new IOException(
                $"The lock file '{lockPath}' is a symbolic link; refusing to follow it, since a link could point the lock at any file. Remove it so a regular lock file can be created.")
            {
                HResult = errno,
            };
        }

        return UnixErrors.CheckIo(handle, "Opening the lock file", lockPath);
    }

    private static SafeFileHandle ReopenForWriting(DirectoryHandle directory, string name)
    {
        var lockPath = directory.Join(name);
        try
        {
            return Open(directory, name, OpenFlags.O_RDWR, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Locking the lock file '{lockPath}' failed: flock on a read-only descriptor gave EBADF (as on NFS, where an exclusive lock needs write access), and reopening it for writing failed: {e.Message}",
                e);
        }
    }

    /// <summary>Checks what was actually opened: a regular file, not planted by another user in a shared sticky directory.</summary>
    private static void CheckLockable(SafeFileHandle handle, DirectoryHandle directory, string lockPath)
    {
        var status = UnixFileStatus.Get(handle, lockPath);
        if (status.Kind != FileKind.RegularFile)
        {
            throw NotARegularFile(lockPath, status);
        }

        StickyDirectoryRule.ThrowIfForeign(directory, lockPath, status);
    }

    private static IOException NotARegularFile(string lockPath, UnixFileStatus status) =>
        new($"The lock file '{lockPath}' is not a regular file but {Describe(status.Mode)}; refusing to lock through it. Remove it so a regular lock file can be created.");

    private static string Describe(uint mode) => (mode & Sys.FileTypes.S_IFMT) switch
    {
        Sys.FileTypes.S_IFIFO => "a FIFO",
        Sys.FileTypes.S_IFCHR => "a character device",
        Sys.FileTypes.S_IFDIR => "a directory",
        Sys.FileTypes.S_IFBLK => "a block device",
        Sys.FileTypes.S_IFLNK => "a symbolic link",
        Sys.FileTypes.S_IFSOCK => "a socket",
        _ => "of an unknown type",
    };
}
