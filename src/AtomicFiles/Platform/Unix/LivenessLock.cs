using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>
/// The lock by which a temp file says "my writer is alive", and the probe recovery makes of it before removing a temp.
/// The writer holds it from just after creating the temp until its handle closes, after the rename; the kernel drops
/// it when the process dies, so a killed writer's temp is sweepable at once.
/// </summary>
/// <remarks>
/// <para>
/// On 64-bit Linux these are open-file-description locks (fcntl F_OFD_*). .NET takes flock(LOCK_SH|LOCK_NB) on every
/// FileShare.Read open (File.ReadAllBytes, and Update's read of the current content), and flock and fcntl locks live in
/// separate tables on local filesystems: so no reader ever meets a writer's lock or a sweep's probe, even in the
/// instant when one rides its inode onto the published file (the writer's until its close just after the rename; a
/// sweep's when it opened the temp by name an instant before that rename). Unlike classic POSIX F_SETLK locks they
/// belong to the open file description, not the process: they conflict within one process too, and closing another
/// descriptor of the same file does not drop them.
/// </para>
/// <para>
/// The writer locks exclusively until it has checked that its name still refers to its file, then downgrades to
/// shared. The sweep takes the lock its descriptor allows (a write lock needs a writable descriptor, a read lock a
/// readable one, and a temp keeps its target's mode, which may be read-only or write-only) and then asks whether anyone
/// else holds one. Either way a writer still before its check waits for the sweep, and a writer past it is seen.
/// Shared rather than exclusive for the writer's lifetime because on NFS the kernel turns flock into POSIX locks,
/// where a reader's flock(LOCK_SH) does meet fcntl locks: a shared lock on the published file refuses no reader there.
/// </para>
/// <para>
/// Elsewhere both sides use flock, as before: macOS and 32-bit processes always (no OFD locks, or no verified
/// struct flock layout), and Linux where the filesystem or kernel refuses OFD locks (EINVAL: kernels before 3.15, some
/// FUSE filesystems). Writer and sweep decide by the same platform and the same filesystem's answer, so on any one
/// file they meet in the same table; a sweep that used a different one than the writer would not see it and could
/// remove a live writer's temp (failing its commit; the target stays as it was). That is why a 32-bit and a 64-bit
/// process must not share a directory on Linux. On flock a sweep's exclusive probe can still refuse a reader for an
/// instant.
/// </para>
/// </remarks>
internal static class LivenessLock
{
    // The struct flock layout of Interop.FcntlOfdLock is the LP64 one.
    private static readonly bool s_openFileDescriptionLocks = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Which table a writer's lock is in.</summary>
    internal enum Kind
    {
        OpenFileDescription,
        Flock,
    }

    /// <summary>
    /// The writer's first step, right after creating its temp: a lock no sweep can share, taken as soon as a sweep
    /// holding the temp lets go. Call <see cref="Share"/> once the writer has checked the temp is still its own.
    /// </summary>
    internal static Kind LockNewTemp(SafeFileHandle handle, string path)
    {
        if (s_openFileDescriptionLocks)
        {
            var errno = SetOpenFileDescriptionLock(handle, Sys.F_OFD_SETLKW, Sys.F_WRLCK);
            if (errno == 0)
            {
                return Kind.OpenFileDescription;
            }

            if (!IsUnsupported(errno))
            {
                throw UnixErrors.ToException(errno, "Locking the temp file", path);
            }
        }

        // Shared from the start: a sweep's exclusive flock refuses it just the same, and readers never meet it.
        UnixErrors.CheckIo(Sys.Flock(handle, Sys.LOCK_SH), "Locking the temp file", path);
        return Kind.Flock;
    }

    /// <summary>The writer's second step: keeps the lock for its lifetime, but shared (see the remarks).</summary>
    internal static void Share(SafeFileHandle handle, Kind kind, string path)
    {
        if (kind == Kind.OpenFileDescription && SetOpenFileDescriptionLock(handle, Sys.F_OFD_SETLK, Sys.F_RDLCK) is var errno and not 0)
        {
            throw UnixErrors.ToException(errno, "Locking the temp file", path);
        }
    }

    /// <summary>
    /// The sweep's probe, never waiting: true if no one else holds a lock on the file — no writer is alive — in which
    /// case the lock taken keeps any writer from claiming the file until <paramref name="handle"/> closes.
    /// </summary>
    /// <param name="handle">The temp, opened by name.</param>
    /// <param name="readable">Whether <paramref name="handle"/> was opened for reading (else it was opened write-only).</param>
    /// <param name="path">For error messages.</param>
    internal static bool TryLockAlone(SafeFileHandle handle, bool readable, string path)
    {
        if (s_openFileDescriptionLocks)
        {
            var errno = SetOpenFileDescriptionLock(handle, Sys.F_OFD_SETLK, readable ? Sys.F_RDLCK : Sys.F_WRLCK);
            if (errno == 0)
            {
                return !HeldByAnother(handle, path);
            }

            // POSIX allows either for a conflicting lock; Linux says EAGAIN.
            if (errno == Errno.EWOULDBLOCK || errno == Errno.EACCES)
            {
                return false;
            }

            if (!IsUnsupported(errno))
            {
                throw UnixErrors.ToException(errno, "Locking the temp file", path);
            }
        }

        var locked = Sys.Flock(handle, Sys.LOCK_EX | Sys.LOCK_NB);
        if (locked != 0 && UnixErrors.LastErrno == Errno.EWOULDBLOCK)
        {
            return false;
        }

        UnixErrors.CheckIo(locked, "Locking the temp file", path);
        return true;
    }

    /// <summary>Whether another open file description holds any lock on the file (ours never conflicts with us).</summary>
    private static bool HeldByAnother(SafeFileHandle handle, string path)
    {
        var range = new Sys.FileLockRange { Type = Sys.F_WRLCK };
        UnixErrors.CheckIo(Sys.FcntlLock(handle, Sys.F_OFD_GETLK, ref range), "Checking the locks of", path);
        return range.Type != Sys.F_UNLCK;
    }

    // The same answer for the writer and the sweep on one filesystem, which is what keeps both in one table.
    private static bool IsUnsupported(int errno) => errno == Errno.EINVAL || errno == Errno.ENOTSUP || errno == Errno.ENOSYS;

    /// <returns>0, or the errno.</returns>
    private static int SetOpenFileDescriptionLock(SafeFileHandle handle, int command, short type)
    {
        var range = new Sys.FileLockRange { Type = type };
        return Sys.FcntlLock(handle, command, ref range) == 0 ? 0 : UnixErrors.LastErrno;
    }
}
