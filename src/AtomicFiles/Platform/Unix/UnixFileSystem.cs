using System.Text;
using AtomicFiles.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>Linux and macOS: the protocol spoken to libc directly, every result checked.</summary>
internal sealed class UnixFileSystem : FileSystemPlatform
{
    private const int NameMaxBytes = 255;
    private const uint DefaultCreateMode = 0x1B6; // 0666; open(2) applies the umask.

    // Set once renameat2 turns out to be missing (old glibc, musl) or unsupported by the filesystem.
    private static volatile bool s_renameNoReplaceUnavailable = !OperatingSystem.IsLinux();

    // Nothing to release: the liveness lock is one readers never meet (see LivenessLock), so the instant the published
    // file still carries it refuses no reader, and keeping it until the close leaves a concurrent Recover no window to
    // sweep a temp whose writer is about to rename it.
    internal override void ReleaseBeforeRename(SafeFileHandle handle, string tempPath)
    {
    }

    internal override ExistingFile? Inspect(string path)
    {
        var errno = UnixFileStatus.TryGet(path, out var status);
        return errno switch
        {
            0 => new ExistingFile(status.Kind, status.Permissions, status.Uid, status.Gid, status.Device),
            Errno.ENOENT => null,
            Errno.ENOTDIR => throw new DirectoryNotFoundException($"Could not find a part of the path '{path}': a parent is not a directory."),
            _ => throw UnixErrors.ToException(errno, "Reading the status of", path),
        };
    }

    internal override void ValidateFileName(string fileName, string path)
    {
        if (Encoding.UTF8.GetByteCount(fileName) > NameMaxBytes)
        {
            throw new PathTooLongException($"The file name in '{path}' is longer than the {NameMaxBytes} bytes a Unix file name can hold.");
        }
    }

    internal override void ThrowIfReadOnly(string path)
    {
        if (Sys.Access(path, Sys.W_OK) != 0)
        {
            var errno = UnixErrors.LastErrno;
            if (errno is Errno.EACCES or Errno.EPERM)
            {
                throw new UnauthorizedAccessException($"'{path}' is read-only: this process may not write to it, so it is left unchanged.")
                {
                    HResult = errno,
                };
            }

            if (errno == Errno.EROFS)
            {
                throw UnixErrors.ToException(errno, "Writing", path);
            }
        }
    }

    internal override SafeFileHandle? TryCreateTemp(string tempPath, ExistingFile? replaced, AtomicFileOptions options)
    {
        var preserve = options.PreserveMetadata && replaced is { Kind: FileKind.RegularFile };
        var mode = preserve ? replaced!.Value.Mode : options.UnixCreateMode is { } m ? (uint)m : DefaultCreateMode;
        // Read-write, though the writer only writes: the shared OFD lock needs a readable descriptor. Creating the file
        // grants both whatever its mode says, so a read-only or write-only final mode still works.
        var flags = OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;

        var fd = OpenRetryingEintr(tempPath, flags, mode);
        if (fd < 0)
        {
            var errno = UnixErrors.LastErrno;
            return errno switch
            {
                Errno.EEXIST => null,
                Errno.ENOENT or Errno.ENOTDIR => throw new DirectoryNotFoundException(
                    $"Could not find the directory of '{tempPath}'.") { HResult = errno },
                _ => throw UnixErrors.ToException(errno, "Creating the temp file", tempPath),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var lockKind = LivenessLock.LockNewTemp(handle, tempPath);
            var created = UnixFileStatus.Get(handle, tempPath);
            if (created.LinkCount == 0)
            {
                // Recovery locked and removed it in the instant between our open and our lock. Take another name.
                handle.Dispose();
                DeleteFile(tempPath);
                return null;
            }

            // Ours now: a sweep from here on sees the lock. Shared for the rest of the writer's life.
            LivenessLock.Share(handle, lockKind, tempPath);

            if (preserve)
            {
                CopyOwnerAndMode(handle, tempPath, created, replaced!.Value, options.Logger);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            DeleteFile(tempPath);
            throw;
        }
    }

    internal override void FlushFile(SafeFileHandle handle, string path)
    {
        using var lease = new FileDescriptorLease(handle);
        FlushDescriptor(lease.Fd, path);
    }

    internal override void Replace(string tempPath, string targetPath, AtomicFileOptions options)
    {
        if (Sys.Rename(tempPath, targetPath) != 0)
        {
            var errno = UnixErrors.LastErrno;
            throw errno == Errno.EXDEV
                ? new IOException($"'{tempPath}' and '{targetPath}' are on different filesystems; an atomic rename is impossible and a copy is never used.") { HResult = errno }
                : UnixErrors.ToException(errno, "Renaming the temp file over", targetPath);
        }
    }

    internal override bool TryPublishNew(string tempPath, string targetPath, AtomicFileOptions options)
    {
        if (!s_renameNoReplaceUnavailable)
        {
            var result = RenameNoReplace(tempPath, targetPath);
            if (result is { } published)
            {
                return published;
            }

            s_renameNoReplaceUnavailable = true;
        }

        // link(2) fails with EEXIST if anything is at the target: as race-free as RENAME_NOREPLACE, one step longer.
        if (Sys.Link(tempPath, targetPath) != 0)
        {
            var errno = UnixErrors.LastErrno;
            return errno == Errno.EEXIST ? false : throw UnixErrors.ToException(errno, "Linking the temp file to", targetPath);
        }

        // The content is published; a leftover second name is only litter, which Recover sweeps.
        DeleteFile(tempPath);
        return true;
    }

    internal override SafeFileHandle? KeepReplacedFileOpen(string targetPath)
    {
        // Best effort, so no retry and no error: a file this process may not read is simply not held.
        // O_NONBLOCK: never hang on a FIFO put there since the target was inspected.
        var fd = Sys.Open(targetPath, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    internal override void FlushDirectory(string directory)
    {
        var fd = OpenRetryingEintr(directory, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            throw UnixErrors.ToException(UnixErrors.LastErrno, "Opening the directory", directory);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        FlushDescriptor(fd, directory);
    }

    internal override void DeleteFile(string path)
    {
        if (Sys.Unlink(path) != 0 && UnixErrors.LastErrno is var errno && errno != Errno.ENOENT)
        {
            throw UnixErrors.ToException(errno, "Deleting", path);
        }
    }

    internal override TempFileState CheckTemp(string tempPath, bool remove)
    {
        // Non-blocking, so a FIFO planted under a temp name cannot hang recovery; no-follow, so a link is never chased.
        var flags = OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK;
        var fd = OpenRetryingEintr(tempPath, OpenFlags.O_RDONLY | flags);
        var readable = true;
        if (fd < 0 && UnixErrors.LastErrno == Errno.EACCES)
        {
            // A temp keeps its target's mode, which may be write-only; the probe works on a descriptor of either kind.
            fd = OpenRetryingEintr(tempPath, OpenFlags.O_WRONLY | flags);
            readable = false;
        }

        if (fd < 0)
        {
            var errno = UnixErrors.LastErrno;
            return errno == Errno.ENOENT || errno == Errno.ELOOP || errno == Errno.ENXIO
                ? TempFileState.Skipped
                : throw UnixErrors.ToException(errno, "Opening the temp file", tempPath);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!LivenessLock.TryLockAlone(handle, readable, tempPath))
        {
            return TempFileState.InUse;
        }

        // Locked. But between our open and our lock its writer may have renamed it over the target and exited, and
        // the lock we hold may be on a published file: act only if the name still names the inode we locked.
        var locked = UnixFileStatus.Get(handle, tempPath);
        if (locked.Kind != FileKind.RegularFile || locked.LinkCount == 0
            || UnixFileStatus.TryGet(tempPath, out var named) != 0 || named.Inode != locked.Inode)
        {
            return TempFileState.Skipped;
        }

        if (remove)
        {
            // Still under our lock: a writer that opened this name just now finds it unlinked once it gets the lock,
            // and takes another name (TryCreateTemp).
            DeleteFile(tempPath);
        }

        return TempFileState.Orphaned;
    }

    /// <returns>true if renamed, false if the target exists, null if this system cannot rename without replacing.</returns>
    private static bool? RenameNoReplace(string tempPath, string targetPath)
    {
        try
        {
            if (OperatingSystem.IsMacOS())
            {
                if (Sys.RenamexNp(tempPath, targetPath, Sys.RENAME_EXCL) == 0)
                {
                    return true;
                }
            }
            else if (Sys.RenameAt2(Sys.AT_FDCWD, tempPath, Sys.AT_FDCWD, targetPath, Sys.RENAME_NOREPLACE) == 0)
            {
                return true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        var errno = UnixErrors.LastErrno;
        if (errno == Errno.EEXIST)
        {
            return false;
        }

        // The filesystem (some FUSE, NFS, older kernels) or the libc does not support the flag.
        return errno == Errno.EINVAL || errno == Errno.ENOSYS || errno == Errno.ENOTSUP
            ? null
            : throw UnixErrors.ToException(errno, "Renaming the temp file to", targetPath);
    }

    private static void FlushDescriptor(int fd, string path)
    {
        if (OperatingSystem.IsMacOS())
        {
            if (Sys.FcntlNoArg(fd, Sys.F_FULLFSYNC) == 0)
            {
                return;
            }

            // Fall back to fsync only where F_FULLFSYNC is unsupported (some network and FUSE filesystems); any other
            // failure, EIO above all, is the answer — a later fsync succeeding would hide it.
            var errno = UnixErrors.LastErrno;
            if (errno != Errno.ENOTSUP && errno != Errno.EINVAL && errno != Errno.ENOTTY)
            {
                throw UnixErrors.ToException(errno, "Flushing to disk", path);
            }
        }

        int result;
        do
        {
            result = Sys.FSync(fd);
        }
        while (result != 0 && UnixErrors.LastErrno == Errno.EINTR);

        if (result != 0)
        {
            throw UnixErrors.ToException(UnixErrors.LastErrno, "Flushing to disk", path);
        }
    }

    private static int OpenRetryingEintr(string path, int flags, uint mode = 0)
    {
        int fd;
        do
        {
            fd = Sys.Open(path, flags, mode);
        }
        while (fd < 0 && UnixErrors.LastErrno == Errno.EINTR);

        return fd;
    }

    private static void CopyOwnerAndMode(SafeFileHandle handle, string tempPath, UnixFileStatus created, ExistingFile replaced, ILogger? logger)
    {
        using var lease = new FileDescriptorLease(handle);
        var ownerChanged = false;
        if (created.Uid != replaced.Uid || created.Gid != replaced.Gid)
        {
            ownerChanged = true;
            // Only root may give a file away; anyone may pick one of their own groups. Keep what is allowed.
            if (Sys.FChown(lease.Fd, replaced.Uid, replaced.Gid) != 0 && Sys.FChown(lease.Fd, uint.MaxValue, replaced.Gid) != 0 && logger is not null)
            {
                Log.OwnerNotPreserved(logger, tempPath, replaced.Uid, replaced.Gid, UnixErrors.LastErrno);
            }
        }

        // After chown, which clears set-id bits; and because the umask may have narrowed the mode open(2) gave.
        if ((ownerChanged || created.Permissions != replaced.Mode) && Sys.FChmod(lease.Fd, replaced.Mode) != 0)
        {
            throw UnixErrors.ToException(UnixErrors.LastErrno, "Setting the permissions of", tempPath);
        }
    }
}
