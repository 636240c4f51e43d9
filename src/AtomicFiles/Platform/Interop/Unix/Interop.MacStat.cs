using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS struct stat with 64-bit inodes. Only the fields the library reads are declared.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 144)]
        internal struct MacStatBuffer
        {
            [FieldOffset(0)] internal int Dev;
            [FieldOffset(4)] internal ushort Mode;
            [FieldOffset(6)] internal ushort NLink;
            [FieldOffset(8)] internal ulong Ino;
            [FieldOffset(16)] internal uint Uid;
            [FieldOffset(20)] internal uint Gid;
        }

        internal const int MAC_AT_SYMLINK_NOFOLLOW = 0x20;

        // On x64 macOS the plain symbols keep the old 32-bit-inode layout and the $INODE64 ones fill MacStatBuffer;
        // arm64 was born with 64-bit inodes and exports only the plain symbols, which fill it there.
        private static readonly bool s_inode64Symbols = RuntimeInformation.ProcessArchitecture == Architecture.X64;

        /// <summary>macOS lstat(2). Returns 0, or -1 with errno set.</summary>
        internal static int MacLStat(string path, out MacStatBuffer buffer) =>
            s_inode64Symbols ? LStatInode64(path, out buffer) : LStat(path, out buffer);

        /// <summary>macOS fstatat(2). Returns 0, or -1 with errno set.</summary>
        internal static int MacFStatAt(SafeHandle dirFd, string path, out MacStatBuffer buffer, int flags) =>
            s_inode64Symbols ? FStatAtInode64(dirFd, path, out buffer, flags) : FStatAt(dirFd, path, out buffer, flags);

        /// <summary>macOS fstat(2). Returns 0, or -1 with errno set.</summary>
        internal static int MacFStat(SafeHandle fd, out MacStatBuffer buffer) =>
            s_inode64Symbols ? FStatInode64(fd, out buffer) : FStat(fd, out buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int LStat(string path, out MacStatBuffer buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "lstat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int LStatInode64(string path, out MacStatBuffer buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstatat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int FStatAt(SafeHandle dirFd, string path, out MacStatBuffer buffer, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstatat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int FStatAtInode64(SafeHandle dirFd, string path, out MacStatBuffer buffer, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstat", SetLastError = true)]
        private static partial int FStat(SafeHandle fd, out MacStatBuffer buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static partial int FStatInode64(SafeHandle fd, out MacStatBuffer buffer);
    }
}
