using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        // Same values on Linux and macOS. No LOCK_UN: a lock is let go by closing its descriptor.
        internal const int LOCK_SH = 1;
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;

        /// <summary>flock(2), retried on EINTR. Returns 0, or -1 with errno set.</summary>
        internal static int Flock(SafeHandle fd, int operation) =>
            RetryOnEintr((fd, operation), static a => FlockInterruptible(a.fd, a.operation));

        [LibraryImport(Libraries.Libc, EntryPoint = "flock", SetLastError = true)]
        private static partial int FlockInterruptible(SafeHandle fd, int operation);
    }
}
