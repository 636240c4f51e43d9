using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_BASIC_STATS = 0x7ff;

        /// <summary>The directory descriptor that makes a *at call resolve a relative path from the working directory.</summary>
        private const int AT_FDCWD = -100;

        /// <summary>
        /// Linux statx(2). Chosen over stat(2) because its layout is the same on every architecture,
        /// so one struct serves x64, arm64 and the rest. Only the fields the library reads are declared.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatxBuffer
        {
            [FieldOffset(16)] internal uint NLink;
            [FieldOffset(20)] internal uint Uid;
            [FieldOffset(24)] internal uint Gid;
            [FieldOffset(28)] internal ushort Mode;
            [FieldOffset(32)] internal ulong Ino;
            [FieldOffset(136)] internal uint DevMajor;
            [FieldOffset(140)] internal uint DevMinor;
        }

        /// <summary>statx(2) of <paramref name="path"/> relative to <paramref name="dirFd"/> (with AT_EMPTY_PATH and an empty path, of <paramref name="dirFd"/> itself).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Statx(SafeHandle dirFd, string path, int flags, uint mask, out StatxBuffer buffer);

        /// <summary>statx(2) of an absolute <paramref name="path"/>, or one relative to the working directory.</summary>
        internal static int Statx(string path, int flags, uint mask, out StatxBuffer buffer) => StatxAt(AT_FDCWD, path, flags, mask, out buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int StatxAt(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
    }
}
