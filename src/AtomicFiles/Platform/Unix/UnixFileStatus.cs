using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;
using static AtomicFiles.Platform.Interop.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>The fields of stat(2) the library uses, read portably: statx on Linux, the 64-bit-inode stat on macOS.</summary>
internal readonly record struct UnixFileStatus(uint Mode, uint Uid, uint Gid, ulong Inode, uint LinkCount, ulong Device)
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFREG = 0x8000;
    private const uint S_IFDIR = 0x4000;
    private const uint S_IFLNK = 0xA000;

    internal uint Permissions => Mode & 0xFFF;

    internal FileKind Kind => (Mode & S_IFMT) switch
    {
        S_IFREG => FileKind.RegularFile,
        S_IFDIR => FileKind.Directory,
        S_IFLNK => FileKind.SymbolicLink,
        _ => FileKind.Other,
    };

    /// <summary>lstat: the status of <paramref name="path"/> itself, not of what a link there points to. Returns the errno on failure.</summary>
    internal static int TryGet(string path, out UnixFileStatus status)
    {
        int result;
        if (OperatingSystem.IsLinux())
        {
            result = Sys.Statx(Sys.AT_FDCWD, path, Sys.AT_SYMLINK_NOFOLLOW, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            Sys.MacStatBuffer buffer;
            result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                ? Sys.MacLStatX64(path, out buffer)
                : Sys.MacLStatArm64(path, out buffer);
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
            using var lease = new FileDescriptorLease(directory.Handle);
            result = Sys.Statx(lease.Fd, name, Sys.AT_SYMLINK_NOFOLLOW, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            Sys.MacStatBuffer buffer;
            result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                ? Sys.MacFStatAtX64(directory.Handle, name, out buffer, Sys.MAC_AT_SYMLINK_NOFOLLOW)
                : Sys.MacFStatAtArm64(directory.Handle, name, out buffer, Sys.MAC_AT_SYMLINK_NOFOLLOW);
            status = FromMac(buffer);
        }

        return result == 0 ? 0 : UnixErrors.LastErrno;
    }

    /// <summary>fstat: the status of an open file.</summary>
    internal static UnixFileStatus Get(SafeFileHandle handle, string pathForErrors)
    {
        using var lease = new FileDescriptorLease(handle);
        int result;
        UnixFileStatus status;
        if (OperatingSystem.IsLinux())
        {
            result = Sys.Statx(lease.Fd, string.Empty, Sys.AT_EMPTY_PATH, Sys.STATX_BASIC_STATS, out var buffer);
            status = FromStatx(buffer);
        }
        else
        {
            Sys.MacStatBuffer buffer;
            result = RuntimeInformation.ProcessArchitecture == Architecture.X64
                ? Sys.MacFStatX64(lease.Fd, out buffer)
                : Sys.MacFStatArm64(lease.Fd, out buffer);
            status = FromMac(buffer);
        }

        return result == 0 ? status : throw UnixErrors.ToException(UnixErrors.LastErrno, "Reading the status of", pathForErrors);
    }

    // The (major, minor) pair is only compared for equality, so any injective packing serves.
    private static UnixFileStatus FromStatx(in Sys.StatxBuffer b) => new(b.Mode, b.Uid, b.Gid, b.Ino, b.NLink, ((ulong)b.DevMajor << 32) | b.DevMinor);

    private static UnixFileStatus FromMac(in Sys.MacStatBuffer b) => new(b.Mode, b.Uid, b.Gid, b.Ino, b.NLink, (uint)b.Dev);
}
