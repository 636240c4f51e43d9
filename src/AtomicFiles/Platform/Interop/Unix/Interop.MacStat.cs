using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS struct stat with 64-bit inodes (the only layout on arm64, $INODE64 on x64).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 144)]
        internal struct MacStatBuffer
        {
            [FieldOffset(0)] internal int Dev;
            [FieldOffset(4)] internal ushort Mode;
            [FieldOffset(6)] internal ushort NLink;
            [FieldOffset(8)] internal ulong Ino;
            [FieldOffset(16)] internal uint Uid;
            [FieldOffset(20)] internal uint Gid;
            [FieldOffset(96)] internal long Size;
        }

        [LibraryImport(Libraries.Libc, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int MacLStatArm64(string path, out MacStatBuffer buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "lstat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int MacLStatX64(string path, out MacStatBuffer buffer);

        internal const int MAC_AT_SYMLINK_NOFOLLOW = 0x20;

        [LibraryImport(Libraries.Libc, EntryPoint = "fstatat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int MacFStatAtArm64(SafeHandle dirFd, string path, out MacStatBuffer buffer, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstatat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int MacFStatAtX64(SafeHandle dirFd, string path, out MacStatBuffer buffer, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstat", SetLastError = true)]
        internal static partial int MacFStatArm64(int fd, out MacStatBuffer buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstat$INODE64", SetLastError = true)]
        internal static partial int MacFStatX64(int fd, out MacStatBuffer buffer);
    }
}
