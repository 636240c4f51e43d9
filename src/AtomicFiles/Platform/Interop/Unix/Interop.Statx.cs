using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_BASIC_STATS = 0x7ff;

        /// <summary>
        /// Linux statx(2). Chosen over stat(2) because its layout is the same on every architecture,
        /// so one struct serves x64, arm64 and the rest.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatxBuffer
        {
            [FieldOffset(16)] internal uint NLink;
            [FieldOffset(20)] internal uint Uid;
            [FieldOffset(24)] internal uint Gid;
            [FieldOffset(28)] internal ushort Mode;
            [FieldOffset(32)] internal ulong Ino;
            [FieldOffset(40)] internal ulong Size;
            [FieldOffset(136)] internal uint DevMajor;
            [FieldOffset(140)] internal uint DevMinor;
        }

        [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Statx(int dirFd, string path, int flags, uint mask, out StatxBuffer buffer);
    }
}
