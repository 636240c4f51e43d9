using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS fcntl(F_FULLFSYNC): fsync(2) there does not flush the drive's write cache.</summary>
        internal const int F_FULLFSYNC = 51;

        /// <summary>macOS fcntl(F_FULLFSYNC), retried on EINTR. Returns 0, or -1 with errno set.</summary>
        internal static int FullFSync(SafeHandle fd) => RetryOnEintr(fd, static fd => FcntlWithoutArgument(fd, F_FULLFSYNC));

        // fcntl is variadic; F_FULLFSYNC takes no third argument, so this fixed two-argument form is ABI-safe
        // even on Apple arm64, where variadic arguments travel on the stack.
        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static partial int FcntlWithoutArgument(SafeHandle fd, int command);
    }
}
