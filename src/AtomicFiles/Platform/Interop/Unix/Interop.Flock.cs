using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        // Same values on Linux and macOS.
        internal const int LOCK_SH = 1;
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;
        internal const int LOCK_UN = 8;

        [LibraryImport(Libraries.Libc, EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);
    }
}
