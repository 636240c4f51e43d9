using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int W_OK = 2;

        /// <summary>faccessat: check with the effective ids, as open(2) will, not the real ones as access(2) does.</summary>
        internal static int AT_EACCESS => OperatingSystem.IsLinux() ? 0x200 : 0x10;

        [LibraryImport(Libraries.Libc, EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int FAccessAt(SafeHandle dirFd, string path, int mode, int flags);
    }
}
