using System.Text;
using AtomicFiles.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>Linux and macOS: the protocol spoken to libc directly, every result checked.</summary>
internal sealed class UnixFileSystem : FileSystemPlatform
{
    private const int NameMaxBytes = 255;

    // open(2) applies the umask to it, as it does for File.Create.
    private const UnixFileMode ReadWriteForAll =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupPermissions = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
    private const UnixFileMode AnyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    // Set once renameat2 turns out to be missing (old glibc, musl) or unsupported by the filesystem.
    private static volatile bool s_renameNoReplaceUnavailable = !OperatingSystem.IsLinux();

    internal override DirectoryHandle OpenDirectory(string path) =>
        new(path, OpenDirectoryDescriptor(path, flags => Sys.Open(path, flags, 0)));

    internal override DirectoryHandle OpenDirectory(DirectoryHandle directory, string relativePath)
    {
        var handle = OpenDirectoryDescriptor(relativePath, flags => Sys.OpenAt(directory.Handle, relativePath, flags, 0));
        try
        {
            return new DirectoryHandle(PhysicalPathOf(handle, relativePath), handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal override DirectoryHandle? OpenSubdirectoryNoFollow(DirectoryHandle directory, string name)
    {
        var flags = OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        var handle = Sys.OpenAt(directory.Handle, name, flags, 0);
        if (handle.IsInvalid && UnixErrors.LastErrno is var errno && (errno == Errno.ENOENT || errno == Errno.ENOTDIR || errno == Errno.ELOOP))
        {
            return null;
        }

        return new DirectoryHandle(directory.Join(name), UnixErrors.CheckIo(handle, "Opening the directory", directory.Join(name)));
    }

    internal override string PhysicalPath(DirectoryHandle directory) => PhysicalPathOf(directory.Handle, directory.Path);

    internal override ExistingFile StatusOf(DirectoryHandle directory) => ToExisting(UnixFileStatus.Get(directory.Handle, directory.Path));

    internal override ExistingFile? Inspect(DirectoryHandle directory, string name)
    {
        var errno = UnixFileStatus.TryGet(directory, name, out var status);
        return errno switch
        {
            0 => ToExisting(status),
            Errno.ENOENT => null,
            _ => throw UnixErrors.ToException(errno, "Reading the status of", directory.Join(name)),
        };
    }

    internal override SafeFileHandle? OpenForReading(DirectoryHandle directory, string name, bool followLink)
    {
        var path = directory.Join(name);
        var flags = OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC | (followLink ? 0 : OpenFlags.O_NOFOLLOW);
        var handle = Sys.OpenAt(directory.Handle, name, flags, 0);
        if (handle.IsInvalid && UnixErrors.LastErrno == Errno.ENOENT)
        {
            return null;
        }

        UnixErrors.CheckIo(handle, "Opening for reading", path);
        if (UnixFileStatus.Get(handle, path).Kind != FileKind.RegularFile)
        {
            handle.Dispose();
            throw new IOException($"'{path}' is not a regular file any more; it cannot be read and replaced atomically.");
        }

        return handle;
    }

    internal override string ReadLink(DirectoryHandle directory, string name) => ReadLinkAt(directory.Handle, name, directory.Join(name));

    internal override void ThrowIfLinkNotFollowable(DirectoryHandle directory, string name, ExistingFile link)
    {
        var holder = StatusOf(directory);
        if (!StickyDirectoryRule.Allows(holder.Mode, holder.Uid, link.Uid))
        {
            throw new UnauthorizedAccessException(
                $"'{directory.Join(name)}' is a symbolic link owned by another user (uid {link.Uid}) in the sticky, world-writable "
                + $"directory '{directory.Path}': anyone may have planted it there, so it is not followed.")
            {
                HResult = Errno.EACCES,
            };
        }
    }

    internal override void ValidateFileName(string fileName, string path)
    {
        if (Encoding.UTF8.GetByteCount(fileName) > NameMaxBytes)
        {
            throw new PathTooLongException($"The file name in '{path}' is longer than the {NameMaxBytes} bytes a Unix file name can hold.");
        }
    }

    internal override void ThrowIfReadOnly(DirectoryHandle directory, string name, ExistingFile existing)
    {
        // No write bit at all: read-only by intent, which root's privilege to write anyway does not override here.
        if ((existing.Mode & (uint)AnyWrite) == 0)
        {
            throw ReadOnly(directory.Join(name), Errno.EACCES);
        }

        if (Sys.FAccessAt(directory.Handle, name, Sys.W_OK, Sys.AT_EACCESS) != 0)
        {
            var errno = UnixErrors.LastErrno;
            if (errno is Errno.EACCES or Errno.EPERM)
            {
                throw ReadOnly(directory.Join(name), errno);
            }

            if (errno == Errno.EROFS)
            {
                throw UnixErrors.ToException(errno, "Writing", directory.Join(name));
            }
        }
    }

    internal override SafeFileHandle? TryCreateTemp(DirectoryHandle directory, string tempName, string targetName, ExistingFile? replaced, AtomicFileOptions options)
    {
        var preserve = options.PreserveMetadata && replaced is { Kind: FileKind.RegularFile };

        // A temp that will take a replaced file's owner and mode starts owner-only: until its group is right, the final
        // mode's group bits would let the wrong group read it.
        var mode = preserve ? OwnerOnly : options.UnixCreateMode ?? ReadWriteForAll;

        // Read-write, though the writer only writes: the shared OFD lock needs a readable descriptor. Creating the file
        // grants both whatever its mode says, so a read-only or write-only final mode still works.
        var flags = OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        var tempPath = directory.Join(tempName);
        var handle = Sys.OpenAt(directory.Handle, tempName, flags, (uint)mode);
        if (handle.IsInvalid && UnixErrors.LastErrno == Errno.EEXIST)
        {
            return null;
        }

        UnixErrors.CheckIo(handle, "Creating the temp file", tempPath);
        try
        {
            var lockKind = LivenessLock.LockNewTemp(handle, tempPath);
            var created = UnixFileStatus.Get(handle, tempPath);
            if (created.LinkCount == 0)
            {
                // Recovery locked and removed it in the instant between our open and our lock. Take another name.
                handle.Dispose();
                DeleteFile(directory, tempName);
                return null;
            }

            // Ours now: a sweep from here on sees the lock. Shared for the rest of the writer's life.
            LivenessLock.Share(handle, lockKind, tempPath);

            if (preserve)
            {
                CopyOwnerAndMode(handle, tempPath, created, replaced!.Value, options.ResolvedLogger);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            DeleteFile(directory, tempName);
            throw;
        }
    }

    internal override void FlushFile(SafeFileHandle handle, string path) => Flush(handle, path);

    internal override void Replace(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null)
    {
        if (Sys.RenameAt(directory.Handle, tempName, directory.Handle, targetName) != 0)
        {
            throw RenameFailed(UnixErrors.LastErrno, directory.Join(tempName), directory.Join(targetName));
        }
    }

    internal override bool TryPublishNew(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null)
    {
        if (!s_renameNoReplaceUnavailable)
        {
            var result = RenameNoReplace(directory, tempName, targetName);
            if (result is { } published)
            {
                return published;
            }

            s_renameNoReplaceUnavailable = true;
        }

        // link(2) fails with EEXIST if anything is at the target: as race-free as RENAME_NOREPLACE, one step longer.
        var linked = Sys.LinkAt(directory.Handle, tempName, directory.Handle, targetName, 0);
        if (linked != 0 && UnixErrors.LastErrno == Errno.EEXIST)
        {
            return false;
        }

        UnixErrors.CheckIo(linked, "Linking the temp file to", directory.Join(targetName));

        // Published: whatever happens to the temp's second name now, the commit has happened and must say so.
        try
        {
            DeleteFile(directory, tempName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.PublishedTempNameLeft(options.ResolvedLogger, e, directory.Join(targetName), directory.Join(tempName));
        }

        return true;
    }

    internal override SafeFileHandle? KeepReplacedFileOpen(DirectoryHandle directory, string name)
    {
        // Best effort, so no error: a file this process may not read is simply not held.
        // O_NONBLOCK: never hang on a FIFO put there since the target was inspected.
        var handle = Sys.OpenAt(directory.Handle, name, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    internal override SafeFileHandle OpenToRead(DirectoryHandle directory, string name) => UnixErrors.CheckIo(
        Sys.OpenAt(directory.Handle, name, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0),
        "Opening to read",
        directory.Join(name));

    internal override void FlushDirectory(DirectoryHandle directory)
    {
        try
        {
            Flush(directory.Handle, directory.Path);
        }
        catch (IOException e) when (e.HResult == Errno.EBADF)
        {
            // The path-only handle of a directory this process may write in but not read: fsync needs a real open.
            throw new UnauthorizedAccessException($"Flushing the directory '{directory.Path}' failed: it is not readable by this process, so it cannot be opened to flush.", e)
            {
                HResult = Errno.EACCES,
            };
        }
    }

    internal override void DeleteFile(DirectoryHandle directory, string name)
    {
        if (Sys.UnlinkAt(directory.Handle, name, 0) != 0 && UnixErrors.LastErrno is var errno && errno != Errno.ENOENT)
        {
            throw UnixErrors.ToException(errno, "Deleting", directory.Join(name));
        }
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
        var opened = Sys.Open(tempPath, OpenFlags.O_RDONLY | flags, 0);
        var readable = true;
        if (opened.IsInvalid && UnixErrors.LastErrno == Errno.EACCES)
        {
            // A temp keeps its target's mode, which may be write-only; the probe works on a descriptor of either kind.
            opened = Sys.Open(tempPath, OpenFlags.O_WRONLY | flags, 0);
            readable = false;
        }

        if (opened.IsInvalid && UnixErrors.LastErrno is var errno && (errno == Errno.ENOENT || errno == Errno.ELOOP || errno == Errno.ENXIO))
        {
            return TempFileState.Skipped;
        }

        using var handle = UnixErrors.CheckIo(opened, "Opening the temp file", tempPath);
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
    private static bool? RenameNoReplace(DirectoryHandle directory, string tempName, string targetName)
    {
        try
        {
            var result = OperatingSystem.IsMacOS()
                ? Sys.RenameAtxNp(directory.Handle, tempName, directory.Handle, targetName, Sys.RENAME_EXCL)
                : Sys.RenameAt2(directory.Handle, tempName, directory.Handle, targetName, Sys.RENAME_NOREPLACE);
            if (result == 0)
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
            : throw UnixErrors.ToException(errno, "Renaming the temp file to", directory.Join(targetName));
    }

    private static Exception RenameFailed(int errno, string tempPath, string targetPath) => errno == Errno.EXDEV
        ? new IOException($"'{tempPath}' and '{targetPath}' are on different filesystems; an atomic rename is impossible and a copy is never used.") { HResult = errno }
        : UnixErrors.ToException(errno, "Renaming the temp file over", targetPath);

    private static UnauthorizedAccessException ReadOnly(string path, int errno) =>
        new($"'{path}' is read-only: this process may not write to it, so it is left unchanged.") { HResult = errno };

    private static ExistingFile ToExisting(UnixFileStatus status) =>
        new(status.Kind, status.Permissions, status.Uid, status.Gid, status.Device);

    /// <summary>Opens a directory for *at calls, by <paramref name="open"/>; without read permission, as a path-only handle where Linux allows.</summary>
    private static SafeFileHandle OpenDirectoryDescriptor(string pathForErrors, Func<int, SafeFileHandle> open)
    {
        var handle = open(OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        if (handle.IsInvalid && UnixErrors.LastErrno == Errno.EACCES && OpenFlags.O_PATH != 0)
        {
            // A directory one may write in but not list: O_PATH serves every *at call; only its flush will be refused.
            handle = open(OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC);
        }

        if (handle.IsInvalid && UnixErrors.LastErrno is var errno && (errno == Errno.ENOENT || errno == Errno.ENOTDIR))
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{pathForErrors}'.") { HResult = errno };
        }

        return UnixErrors.CheckIo(handle, "Opening the directory", pathForErrors);
    }

    /// <summary>The kernel's name for an open directory: /proc's link on Linux, F_GETPATH on macOS.</summary>
    private static string PhysicalPathOf(SafeFileHandle handle, string pathForErrors)
    {
        if (OperatingSystem.IsLinux())
        {
            // The one place the descriptor's number itself is needed: it is part of the path. The reference keeps the
            // handle from being closed, and the number reused, while the link is read.
            var referenced = false;
            try
            {
                handle.DangerousAddRef(ref referenced);
                return ReadLinkAt(handle, $"/proc/self/fd/{handle.DangerousGetHandle()}", pathForErrors);
            }
            finally
            {
                if (referenced)
                {
                    handle.DangerousRelease();
                }
            }
        }

        var buffer = new byte[Sys.MAXPATHLEN];
        UnixErrors.CheckIo(Sys.FcntlGetPath(handle, buffer), "Finding the path of the directory", pathForErrors);

        return Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0));
    }

    private static string ReadLinkAt(SafeFileHandle directory, string path, string pathForErrors)
    {
        for (var size = 256; ; size *= 4)
        {
            var buffer = new byte[size];
            var length = (int)UnixErrors.CheckIo(Sys.ReadLinkAt(directory, path, buffer, size), "Reading the symbolic link", pathForErrors);
            if (length < size)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
    }

    private static void Flush(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsMacOS())
        {
            if (Sys.FullFSync(handle) == 0)
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

        UnixErrors.CheckIo(Sys.FSync(handle), "Flushing to disk", path);
    }

    /// <summary>
    /// Gives the owner-only temp the replaced file's owner, group and mode, as far as allowed, never wider than what the
    /// old file allowed: if its group cannot be kept, the group loses its permissions rather than pass them to ours;
    /// if its owner cannot be kept, a set-user-id bit is dropped rather than made to run as us.
    /// </summary>
    private static void CopyOwnerAndMode(SafeFileHandle handle, string tempPath, UnixFileStatus created, ExistingFile replaced, ILogger logger)
    {
        var mode = replaced.Mode;
        if ((created.Uid != replaced.Uid || created.Gid != replaced.Gid) && Sys.FChown(handle, replaced.Uid, replaced.Gid) != 0)
        {
            // Only root may give a file away; anyone may pick one of their own groups. Keep what is allowed.
            var errno = UnixErrors.LastErrno;
            if (created.Uid != replaced.Uid)
            {
                mode &= ~(uint)UnixFileMode.SetUser;
                Log.OwnerNotPreserved(logger, tempPath, replaced.Uid, replaced.Gid, errno);
            }

            if (created.Gid != replaced.Gid && Sys.FChown(handle, Sys.KeepId, replaced.Gid) != 0)
            {
                mode &= ~(uint)(UnixFileMode.SetGroup | GroupPermissions);
                Log.GroupNotPreserved(logger, tempPath, replaced.Gid, UnixErrors.LastErrno);
            }
        }

        // After chown, which clears set-id bits; and always, since the temp was created owner-only.
        UnixErrors.CheckIo(Sys.FChmod(handle, mode), "Setting the permissions of", tempPath);
    }
}
