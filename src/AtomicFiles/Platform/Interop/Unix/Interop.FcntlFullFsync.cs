using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS F_FULLFSYNC: fsync(2) there does not flush the drive's write cache.</summary>
        internal const int F_FULLFSYNC = 51;

        // fcntl is variadic; F_FULLFSYNC takes no third argument, so this fixed two-argument form is ABI-safe
        // even on Apple arm64, where variadic arguments travel on the stack.
        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int FcntlNoArg(int fd, int command);
    }
}
