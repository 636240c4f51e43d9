using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>The fields of stat(2) the library uses, read portably: statx on Linux, the 64-bit-inode stat on macOS.</summary>
internal readonly record struct UnixFileStatus(uint Mode, uint Uid, uint Gid, ulong Inode, uint LinkCount, ulong Device)
{
    /// <summary>The mode without the file type: the permission bits (07777).</summary>
    internal uint Permissions => Mode & ~Sys.FileTypes.S_IFMT;

    internal FileKind Kind => (Mode & Sys.FileTypes.S_IFMT) switch
    {
        Sys.FileTypes.S_IFREG => FileKind.RegularFile,
        Sys.FileTypes.S_IFDIR => FileKind.Directory,
        Sys.FileTypes.S_IFLNK => FileKind.SymbolicLink,
        _ => FileKind.Other,
    };

    /// <summary>lstat: the status of <paramref name="path"/> itself, not of what a link there points to. Returns the errno on failure.</summary>
    internal static int TryGet(string path, out UnixFileStatus status)
    {
        int result;
        if (OperatingSystem.IsLinux())
        {
            result = Sys.Statx(path, Sys.AT_SYMLINK_NOFOLLOW, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            result = Sys.MacLStat(path, out var buffer);
            status = FromMac(buffer);
        }

        return result == 0 ? 0 : UnixErrors.LastErrno;
    }

    /// <summary>fstatat without following: the status of <paramref name="name"/> in <paramref name="directory"/> itself. Returns the errno on failure.</summary>
    internal static int TryGet(DirectoryHandle directory, string name, out UnixFileStatus status)
    {
        int result;
        if (OperatingSystem.IsLinux())
        {
            result = Sys.Statx(directory.Handle, name, Sys.AT_SYMLINK_NOFOLLOW, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            result = Sys.MacFStatAt(directory.Handle, name, out var buffer, Sys.MAC_AT_SYMLINK_NOFOLLOW);
            status = FromMac(buffer);
        }

        return result == 0 ? 0 : UnixErrors.LastErrno;
    }

    /// <summary>fstat: the status of an open file.</summary>
    internal static UnixFileStatus Get(SafeFileHandle handle, string pathForErrors)
    {
        int result;
        UnixFileStatus status;
        if (OperatingSystem.IsLinux())
        {
            result = Sys.Statx(handle, string.Empty, Sys.AT_EMPTY_PATH, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            result = Sys.MacFStat(handle, out var buffer);
            status = FromMac(buffer);
        }

        UnixErrors.CheckIo(result, "Reading the status of", pathForErrors);
        return status;
    }

    // The (major, minor) pair is only compared for equality, so any injective packing serves.
    private static UnixFileStatus FromStatx(in Sys.StatxBuffer b) => new(b.Mode, b.Uid, b.Gid, b.Ino, b.NLink, ((ulong)b.DevMajor << 32) | b.DevMinor);

    private static UnixFileStatus FromMac(in Sys.MacStatBuffer b) => new(b.Mode, b.Uid, b.Gid, b.Ino, b.NLink, (uint)b.Dev);
}
